package dev.converge.repo.sealed;

import dev.converge.core.ConvergeException;
import dev.converge.repo.sealed.EnvelopeRejectedException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks and opens the envelopes a relay offered, before anything is applied: in order, the format
 * and envelope ID, the document, the signature, the signer's membership in the envelope's epoch
 * (and its final sequence number if it was removed), epochs that never go back per signer, the
 * signer's next sequence number, a key for the epoch, and the tag. What passes is returned in the
 * relay's order with its plaintext; each refusal is an {@link EnvelopeRejectedException}.
 */
final class EnvelopeOpener {
  /** An envelope that passed every check, and its Automerge chunks (not copied: read only). */
  static final class Opened {
    private final Envelope envelope;
    private final byte[] chunks;

    Opened(Envelope envelope, byte[] chunks) {
      this.envelope = envelope;
      this.chunks = chunks;
    }

    Envelope envelope() {
      return envelope;
    }

    byte[] chunks() {
      return chunks;
    }
  }

  /** What passed and what was refused. */
  record Result(List<Opened> opened, List<EnvelopeRejectedException> rejected) {}

  private EnvelopeOpener() {}

  static Result open(SealedDocument document, List<ByteString> offered, SealedLimits limits) {
    List<Opened> opened = new ArrayList<>();
    List<EnvelopeRejectedException> rejected = new ArrayList<>();
    Map<ByteString, SealedStore.Applied> last = new HashMap<>(document.applied);
    for (ByteString bytes : offered) {
      try {
        Opened one = openOne(document, bytes, last, limits);
        last.put(
            one.envelope().signer(),
            new SealedStore.Applied(
                one.envelope().signer(),
                one.envelope().seq(),
                one.envelope().epoch(),
                one.envelope().envelopeId()));
        opened.add(one);
      } catch (EnvelopeRejectedException e) {
        rejected.add(e);
      }
    }
    return new Result(opened, rejected);
  }

  private static Opened openOne(
      SealedDocument document,
      ByteString bytes,
      Map<ByteString, SealedStore.Applied> last,
      SealedLimits limits) {
    Envelope envelope;
    try {
      envelope = Envelope.decode(bytes.toArray(), limits);
    } catch (ConvergeException e) {
      throw new EnvelopeRejectedException(
          Reason.MALFORMED, "an offered envelope: " + e.getMessage(), e);
    }
    String name =
        "envelope "
            + envelope.envelopeId().toHex()
            + " (seq "
            + envelope.seq()
            + " of "
            + envelope.signer()
            + ")";
    if (!envelope.documentId().equals(document.id)) {
      throw new EnvelopeRejectedException(
          Reason.WRONG_DOCUMENT, name + " is for document " + envelope.documentId());
    }
    if (!envelope.hasValidSignature()) {
      throw new EnvelopeRejectedException(
          Reason.FORGED_SIGNATURE, name + ": the signature is not its signer's");
    }
    if (envelope.epoch() > document.log.epoch()) {
      throw new EnvelopeRejectedException(
          Reason.BAD_EPOCH,
          name + ": epoch " + envelope.epoch() + " has not started (" + document.log.epoch() + ")");
    }
    if (!document.log.mayHaveWritten(envelope.signer(), envelope.epoch(), envelope.seq())) {
      throw new EnvelopeRejectedException(
          Reason.NOT_A_MEMBER,
          name
              + ": its signer was not a device of the document in epoch "
              + envelope.epoch()
              + " at that number");
    }
    SealedStore.Applied previous = last.get(envelope.signer());
    long expected = previous == null ? 1 : previous.seq() + 1;
    if (envelope.seq() < expected) {
      if (previous != null
          && previous.seq() == envelope.seq()
          && previous.envelopeId().equals(envelope.envelopeId())) {
        throw new EnvelopeRejectedException(Reason.REPLAYED, name + " was applied already");
      }
      throw new EnvelopeRejectedException(
          Reason.REPLAYED,
          name + ": number " + envelope.seq() + " was applied already, with other content");
    }
    if (envelope.seq() > expected) {
      throw new EnvelopeRejectedException(
          Reason.OUT_OF_ORDER, name + ": expected number " + expected + " of this signer first");
    }
    if (previous != null && envelope.epoch() < previous.epoch()) {
      throw new EnvelopeRejectedException(
          Reason.BAD_EPOCH,
          name + ": epoch " + envelope.epoch() + " after an envelope of epoch " + previous.epoch());
    }
    Optional<byte[]> key = document.epochKey(envelope.epoch());
    if (key.isEmpty()) {
      throw new EnvelopeRejectedException(
          Reason.NO_KEY, name + ": this device holds no key for epoch " + envelope.epoch());
    }
    return new Opened(envelope, EnvelopeSeal.open(envelope, key.get()));
  }
}
