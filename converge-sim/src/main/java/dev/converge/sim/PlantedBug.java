package dev.converge.sim;

/**
 * A bug planted on purpose, to prove the simulator can fail: a harness that never fails proves
 * nothing. Only tests and {@code converge sim --plant} turn one on; {@link #NONE} is the default.
 */
public enum PlantedBug {
  /** No planted bug: the simulator tests the real code. */
  NONE,
  /**
   * One replica silently drops one received change, chosen at random the first time it receives
   * changes, and drops it again whenever it arrives later. Convergence must fail.
   */
  DROP_RECEIVED_CHANGE,
  /**
   * Local changes are acknowledged when written, before the write is durable, so a crash that loses
   * the unsynced tail loses acknowledged changes. The durability invariant must fail.
   */
  ACK_BEFORE_DURABLE,
  /**
   * A restarted replica does not recover its clock from its own stored changes, so once its wall
   * clock has gone back further than the clock's bound, its next change is earlier than its own
   * earlier ones. The change-time invariant must fail.
   */
  CLOCK_FORGOTTEN_ON_RESTART,
  /**
   * Changes sent to a replica that speaks only version 1 of the sync protocol go as one v2 entry,
   * as a sync that misjudged the peer's capabilities would send them. The v1-only replica cannot
   * read them: the check of what it receives must fail.
   */
  V2_TO_V1_ONLY_PEER
}
