package dev.converge.repo.sealed;

/** Why a relay refused an operation or an envelope of a push; codes as in docs/sealed.md. */
public enum RefusalReason {
  MALFORMED(1),
  BAD_SIGNATURE(2),
  NOT_A_MEMBER(3),
  /** Sealed under an epoch older than the current: seal again under the current one. */
  STALE_EPOCH(4),
  /** A different envelope holds that signer's sequence number. */
  SEQ_TAKEN(5),
  /** Not the signer's next sequence number at the relay. */
  GAP(6),
  /** The operation is not on top of the relay's last: sync and build it again. */
  LOG_MOVED(7),
  /** A removal's final sequence number is not the relay's highest from that key. */
  STALE_FINAL_SEQ(8),
  UNKNOWN_DOCUMENT(9),
  LIMIT(10),
  /** The operation is against the member log's rules. */
  INVALID(11);

  private final int code;

  RefusalReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The reason with wire code {@code code}, or MALFORMED for a code this version does not know. */
  public static RefusalReason of(int code) {
    for (RefusalReason reason : values()) {
      if (reason.code == code) {
        return reason;
      }
    }
    return MALFORMED;
  }
}
