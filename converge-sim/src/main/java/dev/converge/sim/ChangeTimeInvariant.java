package dev.converge.sim;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The clock invariant: the time of every local change, checked against what its replica (a device,
 * across its incarnations) knows when it makes it. With {@code wall} the device's wall clock in
 * seconds and {@code own} the latest time of a change the device made and still has (made since its
 * restart, or among its own changes it restarted from), the time is:
 *
 * <ul>
 *   <li>at least {@code own}: never back on the device, across wall-clock jumps and restarts;
 *   <li>at least {@code wall};
 *   <li>at least the time of each dependency, unless that time is more than the clock's bound ahead
 *       of {@code max(wall, own)}: a far-future time, deliberately not used;
 *   <li>at most the greatest of {@code wall}, {@code own} and the times in the document within the
 *       bound of the latest wall clock the device has seen: close to the wall clock, never
 *       invented.
 * </ul>
 *
 * <p>A change lost in a crash before it was stored is not remembered, so the device may go below
 * it; that is the one limit of recovering the clock from stored changes. Not thread-safe; one per
 * run.
 */
final class ChangeTimeInvariant {
  // A memo of times by hash, never iterated: the order of a HashMap cannot leak into the run.
  private final Map<ChangeHash, Long> times = new HashMap<>();
  private final long[] ownMax;
  private final long[] wallMax;

  ChangeTimeInvariant(int replicas) {
    ownMax = new long[replicas];
    wallMax = new long[replicas];
    java.util.Arrays.fill(ownMax, Long.MIN_VALUE);
    java.util.Arrays.fill(wallMax, Long.MIN_VALUE);
  }

  /**
   * Notes the replica's wall clock, once per step: a time it observed while its clock was ahead may
   * be used after the clock went back.
   */
  void sawWallClock(Replica replica) {
    wallMax[replica.index] = Math.max(wallMax[replica.index], wallSeconds(replica));
  }

  private static long wallSeconds(Replica replica) {
    return Math.floorDiv(replica.wallClockMillis(), 1000);
  }

  /** A restarted replica remembers the latest time among its own changes it restarted from. */
  void restarted(Replica replica) {
    Document doc = replica.doc();
    long own = Long.MIN_VALUE;
    for (ChangeHash hash : doc.hashesSince(List.of())) {
      if (replica.isOwn(doc.getChange(hash).orElseThrow().actor())) {
        own = Math.max(own, time(doc, hash));
      }
    }
    ownMax[replica.index] = own;
  }

  /** Checks the local changes among {@code added}, the changes applied since the last check. */
  void check(Replica replica, List<ChangeHash> added) {
    Document doc = replica.doc();
    for (ChangeHash hash : added) {
      Change change = doc.getChange(hash).orElseThrow();
      if (change.actor().equals(doc.actor())) {
        checkLocal(replica, doc, change);
        ownMax[replica.index] = Math.max(ownMax[replica.index], change.time());
      }
    }
  }

  private void checkLocal(Replica replica, Document doc, Change change) {
    long time = change.time();
    long wall = wallSeconds(replica);
    long own = ownMax[replica.index];
    long bound = replica.clock().futureBoundSeconds();
    long saneMax = Math.max(wall, own) + bound;
    long everSaneMax = Math.max(wallMax[replica.index], own) + bound;
    String which = "replica " + replica.index + ": change " + change.hash() + " at " + time;
    if (time < own) {
      throw new InvariantViolation(which + " is before its own earlier change at " + own);
    }
    if (time < wall) {
      throw new InvariantViolation(which + " is before its wall clock " + wall);
    }
    for (ChangeHash dep : change.deps()) {
      long depTime = time(doc, dep);
      if (depTime > time && depTime <= saneMax) {
        throw new InvariantViolation(which + " is before its dependency " + dep + " at " + depTime);
      }
    }
    long needed = Math.max(wall, own);
    for (ChangeHash other : doc.hashesSince(List.of())) {
      long otherTime = time(doc, other);
      if (!other.equals(change.hash()) && otherTime <= everSaneMax) {
        needed = Math.max(needed, otherTime);
      }
    }
    if (time > needed) {
      throw new InvariantViolation(which + " is later than anything it knows (" + needed + ")");
    }
  }

  private long time(Document doc, ChangeHash hash) {
    return times.computeIfAbsent(hash, key -> doc.getChange(key).orElseThrow().time());
  }
}
