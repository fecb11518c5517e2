package dev.converge.repo.sealed;

import dev.converge.core.CorruptDataException;
import java.util.Objects;

/** A member-log operation was refused, and the log is unchanged: {@link #reason()} says why. */
public class MemberOpRejectedException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  /** Why an operation was refused. */
  public enum Reason {
    /** Not an operation of this format. */
    MALFORMED,
    /** For another document. */
    WRONG_DOCUMENT,
    /** The signature is not the signer's. */
    BAD_SIGNATURE,
    /** Not on top of the log's last operation (wrong index or previous hash). */
    LOG_MOVED,
    /** The signer may not do this (not a device, or not an open invite for a join). */
    NOT_ALLOWED,
    /** Against the log's rules: a key added twice, the last device removed, boxes that miss. */
    INVALID,
    /** More entries or operations than the limits allow. */
    LIMIT
  }

  private final Reason reason;

  public MemberOpRejectedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public MemberOpRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
