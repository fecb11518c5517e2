package dev.converge.repo.sealed.relay;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.ByteString;
import dev.converge.repo.sealed.EntryKind;
import dev.converge.repo.sealed.Envelope;
import dev.converge.repo.sealed.MemberLog;
import dev.converge.repo.sealed.MemberOp;
import dev.converge.repo.sealed.MemberOpRejectedException;
import dev.converge.repo.sealed.RefusalReason;
import dev.converge.repo.sealed.RelayMessage;
import dev.converge.repo.sealed.RelayMessage.Have;
import dev.converge.repo.sealed.RelayMessage.Offer;
import dev.converge.repo.sealed.RelayMessage.Push;
import dev.converge.repo.sealed.RelayMessage.Pushed;
import dev.converge.repo.sealed.RelayMessage.Refusal;
import dev.converge.repo.sealed.RelayMessage.RelayError;
import dev.converge.repo.sealed.RelayMessageCodec;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.VersionVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay side of sealed documents: it stores each document's member log and envelopes and
 * reconciles them with clients by version vectors (docs/sealed.md, "Relay protocol"). It holds no
 * document key: it checks what it can without one (formats, envelope IDs, signatures, the member
 * log's rules, that an envelope's signer is a device of the document now and sealed under the
 * current epoch, that each signer's numbers come in order) and forwards the rest unopened.
 *
 * <p>Transport-neutral: {@link #handle(RelayMessage)} answers one request; a server carries the
 * encoded messages ({@link #handle(byte[])}) over its connections.
 *
 * <p>Thread-safety: safe for use by many threads; requests about one document are serialized.
 */
public final class Relay implements AutoCloseable {
  /** What one offer carries at most in envelopes (at least one envelope, whatever its size). */
  public static final long OFFER_BYTES_MAX = 8L << 20;

  private static final DocumentId NO_DOCUMENT = DocumentId.of(new byte[DocumentId.LENGTH]);

  private final RelayStore store;
  private final SealedLimits limits;
  private final long offerBytesMax;
  private final long documentBytesMax;
  private final Map<DocumentId, RelayDocument> documents = new ConcurrentHashMap<>();

  private Relay(RelayStore store, SealedLimits limits, long offerBytesMax, long documentBytesMax) {
    this.store = store;
    this.limits = limits;
    this.offerBytesMax = offerBytesMax;
    this.documentBytesMax = documentBytesMax;
  }

  /** A relay that keeps everything in memory. */
  public static Relay inMemory(SealedLimits limits) {
    return new Relay(new InMemoryRelayStore(), limits, OFFER_BYTES_MAX, Long.MAX_VALUE);
  }

  /**
   * A relay over the SQLite file {@code sealed-relay.sqlite} in {@code directory} (created if
   * missing). The caller owns the directory and keeps other processes out of it.
   *
   * @throws dev.converge.repo.spi.StorageException if the file cannot be opened or has another
   *     schema
   */
  public static Relay open(Path directory, SealedLimits limits) {
    return new Relay(SqliteRelayStore.open(directory), limits, OFFER_BYTES_MAX, Long.MAX_VALUE);
  }

  /** This relay with offers cut at {@code bytesMax} of envelopes. */
  public Relay withOfferBytesMax(long bytesMax) {
    if (bytesMax < 1) {
      throw new IllegalArgumentException("offer bytes max below 1: " + bytesMax);
    }
    return new Relay(store, limits, bytesMax, documentBytesMax);
  }

  /**
   * This relay holding at most {@code bytesMax} of envelopes per document: beyond, it refuses
   * envelopes with reason {@code limit} (member operations are bounded by the member log's own
   * limits).
   */
  public Relay withDocumentBytesMax(long bytesMax) {
    if (bytesMax < 1) {
      throw new IllegalArgumentException("document bytes max below 1: " + bytesMax);
    }
    return new Relay(store, limits, offerBytesMax, bytesMax);
  }

  /** The name of the relay's file in a directory opened by {@link #open}. */
  public static String fileName() {
    return SqliteRelayStore.FILE_NAME;
  }

  /**
   * Answers one encoded request with an encoded answer; a request that does not decode gets an
   * {@code error} message.
   */
  public byte[] handle(byte[] request) {
    RelayMessage decoded;
    try {
      decoded = RelayMessageCodec.decode(request, limits);
    } catch (ConvergeException e) {
      return RelayMessageCodec.encode(
          new RelayError(
              NO_DOCUMENT, RefusalReason.MALFORMED, "malformed request: " + e.getMessage()));
    }
    return RelayMessageCodec.encode(handle(decoded));
  }

  /** Answers one request: {@code have} with an {@code offer}, {@code push} with {@code pushed}. */
  public RelayMessage handle(RelayMessage request) {
    if (request instanceof Have have) {
      return offer(have);
    }
    if (request instanceof Push push) {
      return push(push);
    }
    return new RelayError(
        request.documentId(), RefusalReason.MALFORMED, "a relay answers have and push only");
  }

  private RelayDocument document(DocumentId id) {
    return documents.computeIfAbsent(id, key -> RelayDocument.load(key, store, limits));
  }

  private Offer offer(Have have) {
    RelayDocument document = document(have.documentId());
    synchronized (document) {
      if (!document.known()) {
        return new Offer(
            have.documentId(), false, 0, List.of(), VersionVector.EMPTY, List.of(), false);
      }
      MemberLog log = document.log();
      int from = have.memberOpCount();
      if (from > log.size()
          || (from > 0 && !log.ops().get(from - 1).hash().equals(have.memberHead()))) {
        from = 0; // not a prefix of ours: send it all, the client sorts out the difference
      }
      List<ByteString> ops = new ArrayList<>();
      for (MemberOp op : log.opsFrom(from)) {
        ops.add(ByteString.of(op.toBytes()));
      }
      List<ByteString> envelopes = new ArrayList<>();
      long budget = offerBytesMax;
      boolean more = false;
      for (Map.Entry<ByteString, Long> entry : document.seqs().entrySet()) {
        long theirs = have.vector().seq(entry.getKey());
        if (entry.getValue() <= theirs) {
          continue;
        }
        int countLeft = limits.envelopesPerMessageMax() - envelopes.size();
        if (budget <= 0 || countLeft <= 0) {
          more = true;
          break;
        }
        List<StoredEnvelope> found =
            store.envelopes(have.documentId(), entry.getKey(), theirs + 1, budget);
        if (found.size() > countLeft) {
          found = found.subList(0, countLeft);
        }
        for (StoredEnvelope envelope : found) {
          envelopes.add(envelope.bytes());
          budget -= envelope.bytes().length();
        }
        if (theirs + found.size() < entry.getValue()) {
          more = true;
          break;
        }
      }
      return new Offer(have.documentId(), true, from, ops, document.vector(), envelopes, more);
    }
  }

  private Pushed push(Push push) {
    RelayDocument document = document(push.documentId());
    synchronized (document) {
      List<Refusal> refusals = new ArrayList<>();
      int accepted = pushOps(document, push, refusals);
      pushEnvelopes(document, push, refusals);
      return new Pushed(push.documentId(), accepted, refusals, document.vector());
    }
  }

  /** Appends the pushed operations up to the first refused one; returns how many it appended. */
  private int pushOps(RelayDocument document, Push push, List<Refusal> refusals) {
    MemberLog log =
        document.known() ? document.log().copy() : MemberLog.empty(push.documentId(), limits);
    int firstIndex = log.size();
    List<ByteString> accepted = new ArrayList<>();
    for (int i = 0; i < push.ops().size(); i++) {
      try {
        MemberOp op = MemberOp.decode(push.ops().get(i).toArray(), limits);
        if (op.body() instanceof MemberOp.Remove remove) {
          long held = document.seqs().getOrDefault(remove.removed(), 0L);
          if (remove.finalSeq() != held) {
            refusals.add(
                new Refusal(
                    false,
                    i,
                    RefusalReason.STALE_FINAL_SEQ,
                    "the relay holds "
                        + held
                        + " envelopes of the removed key, the removal says "
                        + remove.finalSeq()));
            break;
          }
        }
        log.apply(op);
        accepted.add(push.ops().get(i));
      } catch (MemberOpRejectedException e) {
        refusals.add(new Refusal(false, i, reasonOf(e.reason()), messageOf(e)));
        break;
      } catch (ConvergeException e) {
        refusals.add(new Refusal(false, i, RefusalReason.MALFORMED, messageOf(e)));
        break;
      }
    }
    if (!accepted.isEmpty()) {
      store.appendMemberOps(push.documentId(), firstIndex, accepted);
      document.logChanged(log);
    }
    return accepted.size();
  }

  private static RefusalReason reasonOf(MemberOpRejectedException.Reason reason) {
    switch (reason) {
      case BAD_SIGNATURE:
        return RefusalReason.BAD_SIGNATURE;
      case LOG_MOVED:
        return RefusalReason.LOG_MOVED;
      case NOT_ALLOWED:
        return RefusalReason.NOT_A_MEMBER;
      case LIMIT:
        return RefusalReason.LIMIT;
      case INVALID:
        return RefusalReason.INVALID;
      case MALFORMED:
      case WRONG_DOCUMENT:
      default:
        return RefusalReason.MALFORMED;
    }
  }

  private void pushEnvelopes(RelayDocument document, Push push, List<Refusal> refusals) {
    List<StoredEnvelope> stored = new ArrayList<>();
    Map<ByteString, Long> seqs = new TreeMap<>(document.seqs());
    Map<String, ByteString> pushedIds = new HashMap<>();
    long bytesHeld = document.envelopeBytes();
    for (int i = 0; i < push.envelopes().size(); i++) {
      Envelope envelope;
      try {
        envelope = Envelope.decode(push.envelopes().get(i).toArray(), limits);
      } catch (ConvergeException e) {
        refusals.add(new Refusal(true, i, RefusalReason.MALFORMED, messageOf(e)));
        continue;
      }
      long held = seqs.getOrDefault(envelope.signer(), 0L);
      if (document.known() && envelope.seq() <= held) {
        ByteString key = envelope.signer();
        ByteString heldId =
            pushedIds.getOrDefault(
                key.toHex() + "/" + envelope.seq(),
                store.envelopeId(push.documentId(), key, envelope.seq()).orElse(key));
        if (!heldId.equals(envelope.envelopeId())) {
          refusals.add(
              new Refusal(
                  true,
                  i,
                  RefusalReason.SEQ_TAKEN,
                  "another envelope holds number " + envelope.seq() + " of " + key));
        }
        continue; // the same envelope again: nothing to do
      }
      Optional<Refusal> refused = check(document, envelope, held, i);
      if (refused.isEmpty() && bytesHeld + envelope.size() > documentBytesMax) {
        refused =
            refusal(
                i,
                RefusalReason.LIMIT,
                "the document holds "
                    + bytesHeld
                    + " bytes of envelopes, this one of "
                    + envelope.size()
                    + " would pass the relay's limit of "
                    + documentBytesMax);
      }
      if (refused.isPresent()) {
        refusals.add(refused.get());
        continue;
      }
      bytesHeld += envelope.size();
      seqs.put(envelope.signer(), envelope.seq());
      pushedIds.put(envelope.signer().toHex() + "/" + envelope.seq(), envelope.envelopeId());
      stored.add(
          new StoredEnvelope(
              envelope.envelopeId(),
              envelope.signer(),
              envelope.seq(),
              envelope.epoch(),
              push.envelopes().get(i)));
    }
    if (!stored.isEmpty()) {
      store.appendEnvelopes(push.documentId(), stored);
      document.envelopesStored(stored);
    }
  }

  /** Why the relay refuses {@code envelope}, the signer's next after {@code held}; empty if not. */
  private static Optional<Refusal> check(
      RelayDocument document, Envelope envelope, long held, int index) {
    if (!document.known()) {
      return refusal(index, RefusalReason.UNKNOWN_DOCUMENT, "the relay has no such document");
    }
    if (!envelope.documentId().equals(document.id())) {
      return refusal(
          index, RefusalReason.MALFORMED, "sealed for document " + envelope.documentId());
    }
    if (!envelope.hasValidSignature()) {
      return refusal(index, RefusalReason.BAD_SIGNATURE, "its signature is not its signer's");
    }
    MemberLog log = document.log();
    Optional<MemberLog.Entry> entry = log.entry(envelope.signer());
    if (entry.isEmpty() || entry.get().kind() != EntryKind.DEVICE) {
      return refusal(
          index,
          RefusalReason.NOT_A_MEMBER,
          envelope.signer() + " is not a device of the document");
    }
    if (envelope.epoch() < log.epoch()) {
      return refusal(
          index,
          RefusalReason.STALE_EPOCH,
          "sealed under epoch " + envelope.epoch() + ", the current is " + log.epoch());
    }
    if (envelope.epoch() > log.epoch()) {
      return refusal(
          index,
          RefusalReason.INVALID,
          "sealed under epoch " + envelope.epoch() + ", which has not started");
    }
    if (envelope.seq() != held + 1) {
      return refusal(
          index,
          RefusalReason.GAP,
          "number " + envelope.seq() + " of " + envelope.signer() + ", expected " + (held + 1));
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refusal(int index, RefusalReason reason, String message) {
    return Optional.of(new Refusal(true, index, reason, message));
  }

  private static String messageOf(ConvergeException e) {
    String message = e.getMessage();
    return message == null ? e.kind().toString() : message;
  }

  /** Closes the store. */
  @Override
  public void close() {
    store.close();
  }
}
