package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Change times as documents stamp them through their {@link HybridClock}: Automerge's unit, never
 * below a dependency's time, never back across a wall-clock jump, far-future peers counted and
 * ignored, and recovered from stored changes after a restart.
 */
class DocumentClockTest {
  private static final long NOW_SECONDS = 1_700_000_000L;
  private static final long DAY_MILLIS = 86_400_000L;
  private final AtomicLong wallMillis = new AtomicLong(NOW_SECONDS * 1000 + 123);
  private final Document doc = Document.create(ActorId.fromHex("aa"), wallMillis::get);

  private long stamp(Document target) {
    return target.change(tx -> tx.put(ObjId.ROOT, "k", "v")).orElseThrow().time();
  }

  private static Document peerAt(long wallMillis) {
    return Document.create(ActorId.fromHex("bb"), () -> wallMillis);
  }

  @Test
  void change_time_isWholeSecondsSinceTheEpochAsAutomergeStamps() {
    assertEquals(NOW_SECONDS, stamp(doc));
  }

  @Test
  void change_afterMergingAChangeFromAClockAhead_isNotEarlierThanIt() {
    Document ahead = peerAt(wallMillis.get() + 600_000);
    long theirs = stamp(ahead);

    doc.merge(ahead);

    assertEquals(theirs, stamp(doc));
    assertEquals(0, doc.clock().farFutureCount());
  }

  @Test
  void change_afterTheWallClockJumpedBack_neverGoesBack() {
    long first = stamp(doc);
    wallMillis.addAndGet(-DAY_MILLIS);

    assertEquals(first, stamp(doc));
  }

  @Test
  void applyChanges_fromAClockADayAhead_countedAndNotUsed() {
    Document broken = peerAt(wallMillis.get() + DAY_MILLIS);
    long theirs = stamp(broken);

    doc.merge(broken);
    long ours = stamp(doc);

    assertEquals(NOW_SECONDS, ours);
    assertTrue(ours < theirs, "the one exception to never below a dependency");
    assertEquals(1, doc.clock().farFutureCount());
  }

  @Test
  void load_laterTimesAreNotBelowTheStoredChanges() {
    wallMillis.addAndGet(600_000);
    long stored = stamp(doc);
    byte[] saved = doc.save();

    Document restarted =
        Document.load(saved, LoadOptions.DEFAULT, ActorId.fromHex("cc"), () -> NOW_SECONDS * 1000);

    assertEquals(stored, stamp(restarted));
  }

  @Test
  void load_afterTheWallClockWentBackADay_recoverFromOwnChanges() {
    long stored = stamp(doc);
    HybridClock clock = HybridClock.of(() -> NOW_SECONDS * 1000 - DAY_MILLIS);
    Document restarted =
        Document.load(doc.save(), LoadOptions.DEFAULT, ActorId.fromHex("cc"), clock);
    assertEquals(1, clock.farFutureCount(), "its own change looks a day ahead");

    restarted.changes().stream()
        .filter(change -> change.actor().equals(ActorId.fromHex("aa")))
        .mapToLong(Change::time)
        .max()
        .ifPresent(clock::recover);

    assertEquals(stored, stamp(restarted));
  }

  @Test
  void loadIncremental_observesTheTimesItApplies() {
    Document ahead = peerAt(wallMillis.get() + 120_000);
    long theirs = stamp(ahead);

    doc.loadIncremental(ahead.save(), LoadOptions.DEFAULT);

    assertEquals(theirs, stamp(doc));
  }

  @Test
  void fork_sharesTheClock() {
    long first = stamp(doc);
    Document copy = doc.fork(ActorId.fromHex("dd"));
    wallMillis.addAndGet(-DAY_MILLIS);

    assertEquals(first, stamp(copy));
    assertEquals(0, doc.clock().farFutureCount(), "a fork does not observe its copies again");
  }

  @Test
  void change_withAnExplicitTime_keepsIt() {
    Change change =
        doc.change(CommitOptions.defaults().withTime(5), tx -> tx.put(ObjId.ROOT, "k", 1))
            .orElseThrow();

    assertEquals(5, change.time());
    assertEquals(NOW_SECONDS, stamp(doc));
  }
}
