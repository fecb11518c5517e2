package dev.converge.sim;

/** Which versions of the Automerge sync protocol a replica speaks. */
enum SyncProtocol {
  /** Today's: v1 with a flags trailer first, then v2 once the peer sent flags. */
  CURRENT,
  /**
   * Only version 1, as Automerge before 2.2: its messages carry no flags section, it ignores the
   * flags trailer of the messages it reads, and it can read only v1 messages holding change chunks
   * (no v2 message, no whole document).
   */
  V1_ONLY
}
