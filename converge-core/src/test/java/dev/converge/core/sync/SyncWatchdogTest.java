package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reliability rule of the package documentation: a lost message stalls the protocol, the
 * watchdog notices, and a new session from the persisted states converges.
 *
 * <p>How: the first message from A is dropped; then both sides are polled round by round. Neither
 * sends (A waits for an answer, B has nothing to answer), heads stay apart, and the watchdog must
 * trip after {@link SyncWatchdog#DEFAULT_IDLE_ROUNDS} rounds and not before.
 */
class SyncWatchdogTest {
  @Test
  void droppedMessage_stallsUntilWatchdogResets_thenConverges() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(1), 10);
    Document b = a.fork(SyncDocs.actor(2));
    SyncState aState = new SyncState();
    SyncState bState = new SyncState();
    // One full session, then A edits and its next message is lost.
    SyncDocs.sync(a, aState, b, bState, 10);
    SyncDocs.edit(a, new Random(2), 3);
    assertTrue(Sync.generateMessage(a, aState).isPresent());

    SyncWatchdog watchdog = new SyncWatchdog();
    boolean tripped = false;
    int rounds = 0;
    while (!tripped) {
      rounds++;
      Optional<byte[]> toB = Sync.generateMessage(a, aState);
      Optional<byte[]> toA = Sync.generateMessage(b, bState);
      assertTrue(toB.isEmpty() && toA.isEmpty(), "stalled: nobody sends");
      tripped = watchdog.afterRound(a, aState);
      assertTrue(rounds <= SyncWatchdog.DEFAULT_IDLE_ROUNDS + 1, "watchdog never tripped");
    }
    assertNotEquals(a.heads(), b.heads());

    SyncDocs.sync(a, SyncState.decode(aState.encode()), b, SyncState.decode(bState.encode()), 10);
    assertEquals(a.heads(), b.heads());
  }

  @Test
  void settledSession_neverTrips() {
    Document a = SyncDocs.base();
    Document b = a.fork(SyncDocs.actor(2));
    SyncState aState = new SyncState();
    SyncDocs.sync(a, aState, b, new SyncState(), 10);
    SyncWatchdog watchdog = new SyncWatchdog(2);
    for (int i = 0; i < 10; i++) {
      assertFalse(watchdog.afterRound(a, aState));
    }
  }
}
