package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Any two replicas converge through the protocol.
 *
 * <p>How: from a seed, build a shared history and let each side add its own random changes (either
 * side may start empty, or share nothing); optionally persist and reload one side's state first.
 * Then {@link SyncDocs#sync} alternates messages through a lossless pipe until both sides return
 * empty, within a bound on rounds. Both must end with the same heads, the same value, and states
 * that agree on the shared heads. A failure prints the seed and sizes; jqwik shrinks them.
 */
class SyncPropertiesTest {
  @Property(tries = 1000)
  void sync_anyTwoDocuments_converge(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 15) int shared,
      @ForAll @IntRange(min = 0, max = 25) int onlyA,
      @ForAll @IntRange(min = 0, max = 25) int onlyB,
      @ForAll boolean bEmpty,
      @ForAll boolean resumeFromPersisted) {
    Random random = new Random(seed);
    Document a = SyncDocs.base();
    SyncDocs.edit(a, random, shared);
    Document b = bEmpty ? Document.create(SyncDocs.actor(2), () -> 0L) : a.fork(SyncDocs.actor(2));
    SyncDocs.edit(a, random, onlyA);
    if (!bEmpty) {
      SyncDocs.edit(b, random, onlyB);
    }
    SyncState aState = new SyncState();
    SyncState bState = new SyncState();
    if (resumeFromPersisted) {
      SyncDocs.sync(a, aState, b, bState, 10);
      SyncDocs.edit(a, random, onlyB % 4);
      if (!bEmpty) {
        SyncDocs.edit(b, random, onlyA % 4);
      }
      aState = SyncState.decode(aState.encode());
      bState = SyncState.decode(bState.encode());
    }
    SyncDocs.Exchange exchange = SyncDocs.sync(a, aState, b, bState, 10);
    assertEquals(a.heads(), b.heads());
    assertEquals(a.toJson(), b.toJson());
    assertEquals(a.heads(), aState.sharedHeads());
    assertEquals(b.heads(), bState.sharedHeads());
    assertTrue(exchange.rounds() <= 5, "rounds " + exchange.rounds());
  }
}
