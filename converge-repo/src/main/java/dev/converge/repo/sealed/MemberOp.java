package dev.converge.repo.sealed;

import dev.converge.core.CorruptDataException;
import dev.converge.repo.DocumentId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One signed operation of a document's member log ({@link MemberLog}).
 *
 * <p>Format, version 1 (big-endian; {@code S} is where the signer's key starts):
 *
 * <pre>
 * offset  bytes  field
 *      0      4  magic "cvmo"
 *      4      1  version, 1
 *      5     16  document ID
 *     21      4  index in the log, from 0
 *     25     32  SHA-256 of the previous operation's bytes, zeros at index 0
 *     57      1  kind: 0 genesis, 1 add, 2 remove, 3 join
 *     58    ...  body (below)
 *      S     32  signer's Ed25519 public key
 *   S+32     64  Ed25519 signature over bytes 0..S+32
 * </pre>
 *
 * Bodies, where a key box list is an ephemeral X25519 public key (32) and per recipient its Ed25519
 * key (32) and 48 sealed bytes ({@link KeyBoxes}):
 *
 * <ul>
 *   <li>genesis: the signer's X25519 key (32), a key box list of one (epoch 1's key, to the
 *       signer);
 *   <li>add: entry kind (1: 0 device, 1 invite), member key (64), a key box list of one;
 *   <li>join: member key (64), a key box list of one;
 *   <li>remove: removed Ed25519 key (32), final sequence number (8), the previous epoch key wrapped
 *       under the new one (48), a count (2) and a key box list of that many.
 * </ul>
 *
 * <p>Immutable; equal when the bytes are.
 */
public final class MemberOp {
  static final byte[] MAGIC = {'c', 'v', 'm', 'o'};
  static final int VERSION = 1;
  static final int HASH_BYTES = 32;

  /** The four kinds of operation, by their wire code. */
  public enum Kind {
    GENESIS(0),
    ADD(1),
    REMOVE(2),
    JOIN(3);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** The byte that stands for this kind on the wire. */
    public int code() {
      return code;
    }
  }

  /** What an operation does. */
  public sealed interface Body {
    Kind kind();
  }

  /** The first operation: the signer is the first device, and epoch 1 starts. */
  public record Genesis(ByteString boxKey, ByteString ephemeral, KeyBox box) implements Body {
    public Genesis {
      requireKey(boxKey, "boxKey");
      requireKey(ephemeral, "ephemeral");
      Objects.requireNonNull(box, "box");
    }

    @Override
    public Kind kind() {
      return Kind.GENESIS;
    }
  }

  /** A device adds a device or an invite, boxing it the current epoch key. */
  public record Add(EntryKind entryKind, MemberKey member, ByteString ephemeral, KeyBox box)
      implements Body {
    public Add {
      Objects.requireNonNull(entryKind, "entryKind");
      Objects.requireNonNull(member, "member");
      requireKey(ephemeral, "ephemeral");
      Objects.requireNonNull(box, "box");
    }

    @Override
    public Kind kind() {
      return Kind.ADD;
    }
  }

  /** An invite adds a device (the joiner's own), boxing it the current epoch key. */
  public record Join(MemberKey member, ByteString ephemeral, KeyBox box) implements Body {
    public Join {
      Objects.requireNonNull(member, "member");
      requireKey(ephemeral, "ephemeral");
      Objects.requireNonNull(box, "box");
    }

    @Override
    public Kind kind() {
      return Kind.JOIN;
    }
  }

  /**
   * A device removes an entry and starts the next epoch: its key boxed to every remaining entry,
   * and the previous key wrapped under it.
   */
  public record Remove(
      ByteString removed,
      long finalSeq,
      ByteString wrappedPrevious,
      ByteString ephemeral,
      List<KeyBox> boxes)
      implements Body {
    public Remove {
      requireKey(removed, "removed");
      requireKey(ephemeral, "ephemeral");
      if (finalSeq < 0) {
        throw new IllegalArgumentException("finalSeq below 0: " + finalSeq);
      }
      if (wrappedPrevious.length() != KeyBoxes.SEALED_BYTES) {
        throw new IllegalArgumentException("a wrapped key has 48 bytes");
      }
      boxes = List.copyOf(boxes);
    }

    @Override
    public Kind kind() {
      return Kind.REMOVE;
    }
  }

  private static void requireKey(ByteString key, String name) {
    Objects.requireNonNull(key, name);
    if (key.length() != 32) {
      throw new IllegalArgumentException(name + " must have 32 bytes, has " + key.length());
    }
  }

  private final byte[] bytes;
  private final DocumentId documentId;
  private final int index;
  private final ByteString previous;
  private final Body body;
  private final ByteString signer;
  private final ByteString hash;

  private MemberOp(
      byte[] bytes,
      DocumentId documentId,
      int index,
      ByteString previous,
      Body body,
      ByteString signer) {
    this.bytes = bytes;
    this.documentId = documentId;
    this.index = index;
    this.previous = previous;
    this.body = body;
    this.signer = signer;
    this.hash = ByteString.wrap(sha256(bytes));
  }

  /**
   * The operation encoded in {@code bytes} (copied); checks the structure, not the signature nor
   * the log rules ({@link MemberLog#apply} does).
   *
   * @throws CorruptDataException if they are not one operation of this format
   * @throws dev.converge.core.UnsupportedFormatException for another format version
   * @throws dev.converge.core.LimitExceededException beyond {@code limits}
   */
  public static MemberOp decode(byte[] bytes, SealedLimits limits) {
    if (bytes.length > limits.memberOpBytesMax()) {
      throw new dev.converge.core.LimitExceededException(
          "member operation of " + bytes.length + " bytes, at most " + limits.memberOpBytesMax());
    }
    byte[] copy = bytes.clone();
    WireReader reader = new WireReader("member operation", copy);
    reader.expectMagic(MAGIC, VERSION);
    DocumentId documentId = DocumentId.of(reader.bytes("document ID", DocumentId.LENGTH));
    int index = (int) reader.u32("index", limits.memberOpsMax() - 1L);
    ByteString previous = reader.byteString("previous hash", HASH_BYTES);
    int kind = reader.u8("kind");
    Body body = decodeBody(reader, kind, limits);
    ByteString signer = reader.byteString("signer", Ed25519.KEY_BYTES);
    reader.skip("signature", Ed25519.SIGNATURE_BYTES);
    reader.expectEnd();
    boolean first = index == 0;
    if (first != (body instanceof Genesis)) {
      throw new CorruptDataException(
          "member operation " + index + ": a genesis comes first and only first");
    }
    if (first && !Arrays.equals(previous.unsafeArray(), new byte[HASH_BYTES])) {
      throw new CorruptDataException("member operation 0: previous hash must be zeros");
    }
    return new MemberOp(copy, documentId, index, previous, body, signer);
  }

  private static Body decodeBody(WireReader reader, int kind, SealedLimits limits) {
    switch (kind) {
      case 0:
        {
          ByteString boxKey = reader.byteString("box key", X25519.KEY_BYTES);
          ByteString ephemeral = reader.byteString("ephemeral key", X25519.KEY_BYTES);
          return new Genesis(boxKey, ephemeral, readBox(reader));
        }
      case 1:
        {
          int entryKind = reader.u8("entry kind");
          if (entryKind > 1) {
            throw new CorruptDataException(
                "member operation: entry kind " + entryKind + ", expected 0 or 1");
          }
          MemberKey member = readMemberKey(reader);
          ByteString ephemeral = reader.byteString("ephemeral key", X25519.KEY_BYTES);
          return new Add(
              entryKind == 0 ? EntryKind.DEVICE : EntryKind.INVITE,
              member,
              ephemeral,
              readBox(reader));
        }
      case 2:
        {
          ByteString removed = reader.byteString("removed key", Ed25519.KEY_BYTES);
          long finalSeq = reader.u63("final sequence number");
          ByteString wrapped = reader.byteString("wrapped key", KeyBoxes.SEALED_BYTES);
          ByteString ephemeral = reader.byteString("ephemeral key", X25519.KEY_BYTES);
          int count = reader.u16("box count");
          if (count > limits.entriesMax()) {
            throw new dev.converge.core.LimitExceededException(
                "member operation: " + count + " key boxes, at most " + limits.entriesMax());
          }
          List<KeyBox> boxes = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            boxes.add(readBox(reader));
          }
          return new Remove(removed, finalSeq, wrapped, ephemeral, boxes);
        }
      case 3:
        {
          MemberKey member = readMemberKey(reader);
          ByteString ephemeral = reader.byteString("ephemeral key", X25519.KEY_BYTES);
          return new Join(member, ephemeral, readBox(reader));
        }
      default:
        throw new CorruptDataException("member operation: kind " + kind + ", expected 0 to 3");
    }
  }

  private static MemberKey readMemberKey(WireReader reader) {
    ByteString sign = reader.byteString("member signing key", Ed25519.KEY_BYTES);
    ByteString box = reader.byteString("member box key", X25519.KEY_BYTES);
    return new MemberKey(sign, box);
  }

  private static KeyBox readBox(WireReader reader) {
    ByteString recipient = reader.byteString("box recipient", Ed25519.KEY_BYTES);
    ByteString sealed = reader.byteString("sealed key", KeyBoxes.SEALED_BYTES);
    return new KeyBox(recipient, sealed);
  }

  /** Encodes and signs an operation. */
  static MemberOp sign(
      DocumentId documentId, int index, ByteString previous, Body body, MemberKeyPair signer) {
    WireWriter writer =
        new WireWriter(256)
            .bytes(MAGIC)
            .u8(VERSION)
            .bytes(documentId.toBytes())
            .u32(index)
            .bytes(previous)
            .u8(body.kind().code());
    writeBody(writer, body);
    writer.bytes(signer.publicKey().signKey());
    byte[] unsigned = writer.toArray();
    byte[] signature = signer.sign(unsigned, 0, unsigned.length);
    byte[] signed = Arrays.copyOf(unsigned, unsigned.length + Ed25519.SIGNATURE_BYTES);
    System.arraycopy(signature, 0, signed, unsigned.length, signature.length);
    return new MemberOp(signed, documentId, index, previous, body, signer.publicKey().signKey());
  }

  private static void writeBody(WireWriter writer, Body body) {
    if (body instanceof Genesis genesis) {
      writer.bytes(genesis.boxKey()).bytes(genesis.ephemeral());
      writeBox(writer, genesis.box());
    } else if (body instanceof Add add) {
      writer.u8(add.entryKind() == EntryKind.DEVICE ? 0 : 1);
      writeMemberKey(writer, add.member());
      writer.bytes(add.ephemeral());
      writeBox(writer, add.box());
    } else if (body instanceof Remove remove) {
      writer
          .bytes(remove.removed())
          .u64(remove.finalSeq())
          .bytes(remove.wrappedPrevious())
          .bytes(remove.ephemeral())
          .u16(remove.boxes().size());
      for (KeyBox box : remove.boxes()) {
        writeBox(writer, box);
      }
    } else if (body instanceof Join join) {
      writeMemberKey(writer, join.member());
      writer.bytes(join.ephemeral());
      writeBox(writer, join.box());
    } else {
      throw new AssertionError(body);
    }
  }

  private static void writeMemberKey(WireWriter writer, MemberKey key) {
    writer.bytes(key.signKey()).bytes(key.boxKey());
  }

  private static void writeBox(WireWriter writer, KeyBox box) {
    writer.bytes(box.recipient()).bytes(box.sealed());
  }

  /** Whether the signature is the signer's over every byte before it. */
  boolean hasValidSignature() {
    int end = bytes.length - Ed25519.SIGNATURE_BYTES;
    return Ed25519.verify(signer.unsafeArray(), bytes, 0, end, bytes, end);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public DocumentId documentId() {
    return documentId;
  }

  public int index() {
    return index;
  }

  /** The SHA-256 of the previous operation, zeros for the first. */
  public ByteString previous() {
    return previous;
  }

  public Body body() {
    return body;
  }

  /** The signer's Ed25519 public key. */
  public ByteString signer() {
    return signer;
  }

  /** The SHA-256 of the encoding: what the next operation names. */
  public ByteString hash() {
    return hash;
  }

  /** A copy of the encoding. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MemberOp that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "member operation " + index + " " + body.kind() + " of " + documentId + " by " + signer;
  }
}
