package dev.converge.repo.sealed;

import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.RelayMessage.Have;
import dev.converge.repo.sealed.RelayMessage.Offer;
import dev.converge.repo.sealed.RelayMessage.Push;
import dev.converge.repo.sealed.RelayMessage.Pushed;
import dev.converge.repo.sealed.RelayMessage.Refusal;
import dev.converge.repo.sealed.RelayMessage.RelayError;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The binary form of {@link RelayMessage}s, version 1 (big-endian):
 *
 * <pre>
 * magic "cvrm" | version 1 | type (1) | document ID (16) | body
 *
 * 1 have:   member op count (4), last op hash (32), vector
 * 2 offer:  known (1), first op index (4), op count (2), ops, vector,
 *           envelope count (4), envelopes, more (1)
 * 3 push:   op count (2), ops, envelope count (4), envelopes
 * 4 pushed: ops accepted (2), refusal count (2), refusals, vector
 * 5 error:  reason (1), message
 *
 * vector:   count (2), then per signer its Ed25519 key (32) and sequence number (8), keys ascending
 * op, envelope: length (4) and bytes
 * refusal:  what (1: 0 op, 1 envelope), index (4), reason (1), message
 * message:  length (2) and UTF-8, at most 1,024 bytes
 * </pre>
 *
 * <p>The decoder checks every count and length against the bytes left and the limits before it
 * allocates, and refuses trailing bytes.
 */
public final class RelayMessageCodec {
  private static final byte[] MAGIC = {'c', 'v', 'r', 'm'};
  private static final int VERSION = 1;
  private static final int HAVE = 1;
  private static final int OFFER = 2;
  private static final int PUSH = 3;
  private static final int PUSHED = 4;
  private static final int ERROR = 5;
  static final int TEXT_BYTES_MAX = 1024;

  private RelayMessageCodec() {}

  public static byte[] encode(RelayMessage message) {
    WireWriter writer = new WireWriter(256).bytes(MAGIC).u8(VERSION);
    if (message instanceof Have have) {
      writer.u8(HAVE).bytes(have.documentId().toBytes());
      writer.u32(have.memberOpCount()).bytes(have.memberHead());
      writeVector(writer, have.vector());
    } else if (message instanceof Offer offer) {
      writer.u8(OFFER).bytes(offer.documentId().toBytes());
      writer.u8(offer.known() ? 1 : 0).u32(offer.opsFrom()).u16(offer.ops().size());
      offer.ops().forEach(op -> writer.sized(op.unsafeArray()));
      writeVector(writer, offer.vector());
      writer.u32(offer.envelopes().size());
      offer.envelopes().forEach(envelope -> writer.sized(envelope.unsafeArray()));
      writer.u8(offer.more() ? 1 : 0);
    } else if (message instanceof Push push) {
      writer.u8(PUSH).bytes(push.documentId().toBytes()).u16(push.ops().size());
      push.ops().forEach(op -> writer.sized(op.unsafeArray()));
      writer.u32(push.envelopes().size());
      push.envelopes().forEach(envelope -> writer.sized(envelope.unsafeArray()));
    } else if (message instanceof Pushed pushed) {
      writer.u8(PUSHED).bytes(pushed.documentId().toBytes());
      writer.u16(pushed.opsAccepted()).u16(pushed.refusals().size());
      for (Refusal refusal : pushed.refusals()) {
        writer.u8(refusal.envelope() ? 1 : 0).u32(refusal.index()).u8(refusal.reason().code());
        writer.utf8(cut(refusal.message()));
      }
      writeVector(writer, pushed.vector());
    } else if (message instanceof RelayError error) {
      writer.u8(ERROR).bytes(error.documentId().toBytes());
      writer.u8(error.reason().code()).utf8(cut(error.message()));
    } else {
      throw new AssertionError(message);
    }
    return writer.toArray();
  }

  /** Messages are cut to {@link #TEXT_BYTES_MAX} UTF-8 bytes, on a character boundary. */
  private static String cut(String text) {
    String cut = text;
    while (cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > TEXT_BYTES_MAX) {
      cut = cut.substring(0, Math.min(cut.length() - 1, TEXT_BYTES_MAX));
    }
    return cut;
  }

  private static void writeVector(WireWriter writer, VersionVector vector) {
    writer.u16(vector.seqs().size());
    vector.seqs().forEach((signer, seq) -> writer.bytes(signer).u64(seq));
  }

  /**
   * The message in {@code bytes}.
   *
   * @throws CorruptDataException if they are not one relay message of this format
   * @throws dev.converge.core.UnsupportedFormatException for another version
   * @throws LimitExceededException beyond {@code limits}
   */
  public static RelayMessage decode(byte[] bytes, SealedLimits limits) {
    if (bytes.length > limits.messageBytesMax()) {
      throw new LimitExceededException(
          "relay message of " + bytes.length + " bytes, at most " + limits.messageBytesMax());
    }
    WireReader reader = new WireReader("relay message", bytes);
    reader.expectMagic(MAGIC, VERSION);
    int type = reader.u8("type");
    DocumentId documentId = DocumentId.of(reader.bytes("document ID", DocumentId.LENGTH));
    RelayMessage message;
    switch (type) {
      case HAVE:
        {
          int count = (int) reader.u32("member op count", limits.memberOpsMax());
          ByteString head = reader.byteString("member head", MemberOp.HASH_BYTES);
          message = new Have(documentId, count, head, readVector(reader, limits));
          break;
        }
      case OFFER:
        {
          boolean known = readFlag(reader, "known");
          int from = (int) reader.u32("first op index", limits.memberOpsMax());
          List<ByteString> ops =
              readItems(reader, reader.u16("op count"), limits.memberOpBytesMax());
          VersionVector vector = readVector(reader, limits);
          List<ByteString> envelopes =
              readItems(
                  reader,
                  reader.u32("envelope count", limits.envelopesPerMessageMax()),
                  envelopeBytesMax(limits));
          message =
              new Offer(documentId, known, from, ops, vector, envelopes, readFlag(reader, "more"));
          break;
        }
      case PUSH:
        {
          List<ByteString> ops =
              readItems(reader, reader.u16("op count"), limits.memberOpBytesMax());
          List<ByteString> envelopes =
              readItems(
                  reader,
                  reader.u32("envelope count", limits.envelopesPerMessageMax()),
                  envelopeBytesMax(limits));
          message = new Push(documentId, ops, envelopes);
          break;
        }
      case PUSHED:
        message = readPushed(reader, documentId, limits);
        break;
      case ERROR:
        {
          RefusalReason reason = RefusalReason.of(reader.u8("reason"));
          message = new RelayError(documentId, reason, reader.utf8("message", TEXT_BYTES_MAX));
          break;
        }
      default:
        throw new CorruptDataException("relay message: type " + type + ", expected 1 to 5");
    }
    reader.expectEnd();
    return message;
  }

  private static int envelopeBytesMax(SealedLimits limits) {
    return limits.ciphertextBytesMax() + Envelope.OVERHEAD_BYTES;
  }

  private static Pushed readPushed(WireReader reader, DocumentId documentId, SealedLimits limits) {
    int accepted = reader.u16("ops accepted");
    int count = reader.u16("refusal count");
    // Each refusal takes 8 bytes at least: never allocate for more than the input can hold.
    List<Refusal> refusals = new ArrayList<>(Math.min(count, reader.remaining() / 8));
    for (int i = 0; i < count; i++) {
      boolean envelope = readFlag(reader, "refusal target");
      int index = (int) reader.u32("refusal index", Integer.MAX_VALUE);
      RefusalReason reason = RefusalReason.of(reader.u8("refusal reason"));
      refusals.add(
          new Refusal(envelope, index, reason, reader.utf8("refusal message", TEXT_BYTES_MAX)));
    }
    return new Pushed(documentId, accepted, refusals, readVector(reader, limits));
  }

  private static boolean readFlag(WireReader reader, String field) {
    int value = reader.u8(field);
    if (value > 1) {
      throw new CorruptDataException(
          "relay message: " + field + " is " + value + ", expected 0 or 1");
    }
    return value == 1;
  }

  private static List<ByteString> readItems(WireReader reader, long count, int itemBytesMax) {
    // Each item takes 4 bytes at least: never allocate for more than the input can hold.
    if (count > reader.remaining() / 4) {
      throw new CorruptDataException(
          "relay message: "
              + count
              + " items cannot fit in the "
              + reader.remaining()
              + " bytes left");
    }
    List<ByteString> items = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      items.add(ByteString.wrap(reader.sized("item", itemBytesMax)));
    }
    return items;
  }

  private static VersionVector readVector(WireReader reader, SealedLimits limits) {
    int count = reader.u16("vector count");
    if (count > limits.memberOpsMax()) {
      throw new LimitExceededException(
          "relay message: vector of " + count + " signers, at most " + limits.memberOpsMax());
    }
    TreeMap<ByteString, Long> seqs = new TreeMap<>();
    ByteString previous = null;
    for (int i = 0; i < count; i++) {
      ByteString signer = reader.byteString("vector signer", Ed25519.KEY_BYTES);
      long seq = reader.u63("vector sequence number");
      if (seq < 1 || (previous != null && previous.compareTo(signer) >= 0)) {
        throw new CorruptDataException(
            "relay message: vector entry " + i + " is out of order or has sequence number 0");
      }
      seqs.put(signer, seq);
      previous = signer;
    }
    return new VersionVector(seqs);
  }
}
