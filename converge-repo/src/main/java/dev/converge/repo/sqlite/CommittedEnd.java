package dev.converge.repo.sqlite;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The log's end as the last commit left it: readers wait on it for new entries ({@link #await}),
 * and the {@link AckedOffsetWitness} beside the file follows it, written at most once a second by
 * the writer thread and once more at close.
 *
 * <p>Thread-safety: {@link #await} from any thread; {@link #committed} from the writer thread only.
 */
final class CommittedEnd {
  private static final long WITNESS_INTERVAL_NANOS = 1_000_000_000L;

  private final Object monitor = new Object();
  private final AckedOffsetWitness witness;
  private long end;
  private long witnessWrittenNanos = System.nanoTime();

  CommittedEnd(AckedOffsetWitness witness, long end) {
    this.witness = witness;
    this.end = end;
  }

  /**
   * Waits until the end passes {@code afterOffset} or {@code timeout} elapses; returns the end.
   * {@code requireOpen} runs before each wait and throws once the store is closed.
   */
  long await(long afterOffset, Duration timeout, Runnable requireOpen) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (end <= afterOffset) {
        requireOpen.run();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return end;
    }
  }

  /** After a commit that appended, on the writer thread: the log ends at {@code endOffset}. */
  void committed(long endOffset) {
    long now;
    synchronized (monitor) {
      end = Math.max(end, endOffset);
      now = end;
      monitor.notifyAll();
    }
    // After the commit: at most one small file write a second.
    if (System.nanoTime() - witnessWrittenNanos > WITNESS_INTERVAL_NANOS) {
      witness.write(now);
      witnessWrittenNanos = System.nanoTime();
    }
  }

  /**
   * After the writer stopped: wakes the waiters (they find the store closed) and writes the end.
   */
  void close() {
    synchronized (monitor) {
      monitor.notifyAll();
      witness.write(end);
    }
  }
}
