package dev.converge.sim;

import dev.converge.core.sync.SyncState;
import dev.converge.core.sync.SyncWatchdog;

/**
 * One sync connection between two replicas, as an ordered, reliable transport would carry it: each
 * direction numbers its messages, and the receiving end accepts only the next number. A gap, a
 * duplicate or a reordering means the transport broke its promise, so the session is closed (as a
 * TCP connection would be reset), and a reconnect starts from fresh sync states.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class Session {
  /** One side of the session. */
  static final class End {
    final int replica;
    final int peer;
    final SyncState state;
    final SyncWatchdog watchdog = new SyncWatchdog();
    long nextSendSeq;
    long expectedSeq;
    long lastReceivedMillis;

    End(int replica, int peer, SyncState state, long nowMillis) {
      this.replica = replica;
      this.peer = peer;
      this.state = state;
      this.lastReceivedMillis = nowMillis;
    }
  }

  final long id;
  final End low;
  final End high;

  Session(long id, End low, End high) {
    this.id = id;
    this.low = low;
    this.high = high;
  }

  /** The end at {@code replica}. */
  End end(int replica) {
    if (replica == low.replica) {
      return low;
    }
    if (replica == high.replica) {
      return high;
    }
    throw new IllegalArgumentException("replica " + replica + " is not in session " + id);
  }

  /** A key naming the unordered pair, so one pair has at most one session. */
  static int pairKey(int a, int b) {
    return Math.min(a, b) * SimOptions.REPLICAS_MAX + Math.max(a, b);
  }
}
