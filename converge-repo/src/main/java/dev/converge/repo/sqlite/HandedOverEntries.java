package dev.converge.repo.sqlite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The log entries the writer handed to the views after its commits, so that a step over them
 * applies those changes instead of reading, verifying and decoding the same bytes back from the
 * file (under a sustained load that was most of the views' cost).
 *
 * <p>They are the log's rows exactly: offered only after the commit, in offset order, and used only
 * while they are known to be every entry after {@code from} (a chain of commits without a gap). A
 * commit that deleted rows ({@link #forget}), a gap in the chain, more than {@code entriesMax}
 * entries waiting, or a restart drops them, and the steps read the file again, verifying every
 * change against its hash as before.
 *
 * <p>Used by the writer thread only.
 */
final class HandedOverEntries {
  private final ArrayDeque<LogEntry.Committed> entries = new ArrayDeque<>();
  private final int entriesMax;

  /** The entries held are every log entry after this offset up to {@link #to}. */
  private long from;

  /** The log's end when the last entries were offered; -1 when there is no chain. */
  private long to = -1;

  HandedOverEntries(int entriesMax) {
    this.entriesMax = entriesMax;
  }

  /**
   * Takes the entries of a transaction that just committed: {@code committed}, in offset order, are
   * every log entry after {@code endBefore} up to {@code endAfter}.
   */
  void offer(long endBefore, List<LogEntry.Committed> committed, long endAfter) {
    if (to != endBefore) {
      // Not a continuation of what is held: start a new chain after endBefore.
      entries.clear();
      from = endBefore;
    }
    entries.addAll(committed);
    to = endAfter;
    while (entries.size() > entriesMax) {
      from = entries.removeFirst().offset();
    }
  }

  /**
   * Up to {@code countMax} entries after {@code offset}, or none when they cannot be used (the
   * views are behind the chain's start, or there is no chain); then the step reads the file.
   */
  List<LogEntry> take(long offset, int countMax) {
    List<LogEntry> taken = new ArrayList<>();
    if (to < 0 || offset < from) {
      return taken;
    }
    dropThrough(offset);
    for (LogEntry.Committed entry : entries) {
      if (taken.size() == countMax) {
        break;
      }
      taken.add(entry);
    }
    return taken;
  }

  /** Drops the entries up to {@code offset}, which the views have consumed. */
  void dropThrough(long offset) {
    while (!entries.isEmpty() && entries.peekFirst().offset() <= offset) {
      from = entries.removeFirst().offset();
    }
  }

  /** Drops every entry: the log lost rows, so only the file says what is left. */
  void forget() {
    entries.clear();
    to = -1;
  }
}
