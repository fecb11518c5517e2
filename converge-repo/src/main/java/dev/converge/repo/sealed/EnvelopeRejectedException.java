package dev.converge.repo.sealed;

import dev.converge.core.CorruptDataException;
import java.util.Objects;

/**
 * A reader refused an envelope, and applied nothing of it: {@link #reason()} says why. The other
 * envelopes of the same sync go on.
 */
public class EnvelopeRejectedException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  /** Why an envelope was refused. */
  public enum Reason {
    /** Not an envelope of this format, or its envelope ID does not match its bytes. */
    MALFORMED,
    /** For another document than the one being synced. */
    WRONG_DOCUMENT,
    /** The signature is not the named signer's over the envelope. */
    FORGED_SIGNATURE,
    /**
     * The signer was not a member during the envelope's epoch, or was removed and the envelope is
     * numbered after its final one.
     */
    NOT_A_MEMBER,
    /** An epoch the member log has not started, or older than the signer's previous envelope's. */
    BAD_EPOCH,
    /** A sequence number the reader has applied already, with other content. */
    REPLAYED,
    /** Not the signer's next sequence number: an earlier one is missing. */
    OUT_OF_ORDER,
    /** The authentication tag does not check: the ciphertext or its header was altered. */
    TAMPERED,
    /** This device holds no key for the envelope's epoch. */
    NO_KEY,
    /** It decrypts, but does not hold valid Automerge changes for this document. */
    CORRUPT_CONTENT
  }

  private final Reason reason;

  public EnvelopeRejectedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public EnvelopeRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
