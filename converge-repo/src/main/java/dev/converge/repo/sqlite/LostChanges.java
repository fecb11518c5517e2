package dev.converge.repo.sqlite;

/**
 * What opening a store does when it lost acknowledged changes: its log went backwards as a whole,
 * or holds fewer changes than its documents recorded.
 */
public enum LostChanges {
  /** Refuses to open, with a {@link dev.converge.repo.spi.LostChangesException}. */
  REFUSE,
  /**
   * Opens, to get the lost changes back from a peer: each document short of changes still refuses
   * to load until it is repaired.
   */
  OPEN_FOR_REPAIR
}
