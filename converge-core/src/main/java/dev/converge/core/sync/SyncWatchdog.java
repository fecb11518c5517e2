package dev.converge.core.sync;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import java.util.List;
import java.util.Optional;

/**
 * Detects a sync session that has stopped making progress, so the network layer can close it and
 * start again from a fresh {@link SyncState} (package documentation, rule 3).
 *
 * <p>Call {@link #afterRound} once per round: after each received message has been answered, and on
 * each tick of the session's timer. Progress means our heads, the shared heads or the peer's heads
 * moved. A session is settled, and never counts as stuck, when the peer's last heads equal ours, or
 * when one side is read-only. The typical stuck session sends nothing at all: a message was lost,
 * our side waits for its answer ({@link SyncState#inFlight()}), and the peer waits for us.
 *
 * <p>Not thread-safe: one per session.
 */
public final class SyncWatchdog {
  /** Rounds without progress before an unsettled session counts as stuck. */
  public static final int DEFAULT_IDLE_ROUNDS = 8;

  private final int idleRoundsMax;
  private int idleRounds;
  private List<ChangeHash> lastOurHeads = List.of();
  private List<ChangeHash> lastSharedHeads = List.of();
  private Optional<List<ChangeHash>> lastTheirHeads = Optional.empty();

  public SyncWatchdog() {
    this(DEFAULT_IDLE_ROUNDS);
  }

  /**
   * A watchdog that trips after {@code idleRoundsMax} rounds without progress.
   *
   * @throws IllegalArgumentException if {@code idleRoundsMax} is less than 1
   */
  public SyncWatchdog(int idleRoundsMax) {
    if (idleRoundsMax < 1) {
      throw new IllegalArgumentException("idleRoundsMax must be at least 1, not " + idleRoundsMax);
    }
    this.idleRoundsMax = idleRoundsMax;
  }

  /**
   * Records one round.
   *
   * @return true when the session should be closed and restarted from a fresh state; the count then
   *     starts over
   */
  public boolean afterRound(Document doc, SyncState state) {
    List<ChangeHash> ourHeads = doc.heads();
    boolean progress =
        !ourHeads.equals(lastOurHeads)
            || !state.sharedHeads().equals(lastSharedHeads)
            || !state.theirHeads().equals(lastTheirHeads);
    lastOurHeads = ourHeads;
    lastSharedHeads = state.sharedHeads();
    lastTheirHeads = state.theirHeads();
    boolean settled =
        state.theirHeads().map(ourHeads::equals).orElse(false)
            || state.isReadOnly()
            || state.isPeerReadOnly();
    if (progress || settled) {
      idleRounds = 0;
      return false;
    }
    idleRounds++;
    if (idleRounds >= idleRoundsMax) {
      idleRounds = 0;
      return true;
    }
    return false;
  }

  /** Rounds in a row without progress so far. */
  public int idleRounds() {
    return idleRounds;
  }
}
