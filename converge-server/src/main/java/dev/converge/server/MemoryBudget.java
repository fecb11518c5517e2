package dev.converge.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What all connections together hold: the frames being received or handled and the frames waiting
 * to be written, a frame being handled counted twice (decoding copies its payload). Each connection
 * has its own bound, but a few writers fanning large messages out to readers that never read would
 * fill the heap long before any one reader reached its own: this bound, a share of the heap, holds
 * across all of them.
 *
 * <p>Two thresholds. Past half of {@link #bytesMax()}, frames that may be lost (ephemeral messages:
 * presence, cursors) are dropped instead of queued ({@link #hasRoomForDroppable}), so that they are
 * shed first. Past all of it, the connection holding the most (the slowest reader, or the sender of
 * the largest message) is disconnected, then the next, until the total is back under the bound: one
 * client's backlog never costs every client its connection.
 *
 * <p>Accounting: each connection holds a {@link Share}; what it adds and removes goes to the total
 * until the share is released (the connection closed or was evicted), after which its bytes no
 * longer count, whatever its pending writes do later. So the total is exact and never drifts.
 *
 * <p>Thread-safety: safe for use by many threads. Lock order: the budget's, then a share's.
 */
final class MemoryBudget {
  private static final Logger log = LoggerFactory.getLogger(MemoryBudget.class);

  private final long bytesMax;
  private final AtomicLong heldBytes = new AtomicLong();
  private final AtomicLong peakBytes = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final Set<Share> shares = ConcurrentHashMap.newKeySet();

  MemoryBudget(long bytesMax) {
    if (bytesMax < 1) {
      throw new IllegalArgumentException("bytesMax must be positive, was " + bytesMax);
    }
    this.bytesMax = bytesMax;
  }

  long bytesMax() {
    return bytesMax;
  }

  /** What all connections hold now. */
  long heldBytes() {
    return heldBytes.get();
  }

  /** The most they held at once so far. */
  long peakBytes() {
    return peakBytes.get();
  }

  /** How many connections were disconnected to bring the total back under the bound. */
  long evictions() {
    return evictions.get();
  }

  /**
   * A new connection's share; {@code evict} disconnects that connection. It is called at most once,
   * from any thread, possibly with a document's lock held: it must not block or call back into the
   * sync layer (hand the disconnect to another thread).
   */
  Share join(String description, Runnable evict) {
    Share share = new Share(description, evict);
    shares.add(share);
    return share;
  }

  /** Whether a frame that may be lost still fits under half the bound. */
  boolean hasRoomForDroppable(long frameBytes) {
    return heldBytes.get() + frameBytes <= bytesMax / 2;
  }

  /**
   * Disconnects the largest holders while the total is over the bound. Their bytes leave the total
   * at once; the disconnects run after the budget's lock is let go, since a caller may hold a
   * document's lock and a disconnect may reach the sync layer's.
   */
  void shedIfOver() {
    if (heldBytes.get() <= bytesMax) {
      return;
    }
    List<Share> victims = new ArrayList<>();
    synchronized (this) {
      while (heldBytes.get() > bytesMax) {
        Share largest = null;
        long largestBytes = 0;
        for (Share share : shares) {
          long bytes = share.bytes();
          if (bytes > largestBytes) {
            largest = share;
            largestBytes = bytes;
          }
        }
        if (largest == null) {
          break; // the rest is in flight between a release and its share's removal
        }
        log.warn(
            "disconnecting from={}: it holds {} bytes, the most of all connections, which hold {}"
                + " together, more than the server's bound of {}",
            largest.description,
            largestBytes,
            heldBytes.get(),
            bytesMax);
        evictions.incrementAndGet();
        largest.release();
        victims.add(largest);
      }
    }
    for (Share victim : victims) {
      victim.evict.run();
    }
  }

  /** One connection's part of the total. */
  final class Share {
    private final String description;
    private final Runnable evict;
    private long bytes; // guarded by this
    private boolean released; // guarded by this

    private Share(String description, Runnable evict) {
      this.description = description;
      this.evict = evict;
    }

    /** Counts {@code delta} more (or, negative, fewer) bytes; nothing once released. */
    void add(long delta) {
      synchronized (this) {
        if (released) {
          return;
        }
        bytes += delta;
      }
      long total = heldBytes.addAndGet(delta);
      peakBytes.accumulateAndGet(total, Math::max);
    }

    synchronized long bytes() {
      return bytes;
    }

    /** Stops counting this connection: its bytes leave the total. Idempotent. */
    void release() {
      long held;
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
        held = bytes;
        bytes = 0;
      }
      heldBytes.addAndGet(-held);
      shares.remove(this);
    }
  }
}
