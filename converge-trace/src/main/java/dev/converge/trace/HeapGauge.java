package dev.converge.trace;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Java heap readings through the platform MXBeans.
 *
 * <p>{@link #peakMb()} is the sum of the peak usage of every heap pool since {@link #resetPeak()}.
 * The pools peak at different moments, so the sum is an upper bound on the true peak, and it
 * includes everything live in the JVM (the loaded trace too), not just the document. It is what
 * {@code converge bench-trace} reports as {@code peak_heap_mb}.
 *
 * <p>{@link #settledUsedBytes()} runs {@code System.gc()} until heap use stops falling (at most
 * five times) and returns the heap in use: with a document held alive, minus the same reading
 * without it, that is the document's retained size. Not thread-safe: it assumes no other thread
 * allocates meanwhile.
 */
public final class HeapGauge {
  private static final double MB = 1024.0 * 1024.0;

  private HeapGauge() {}

  /** Starts a new peak-usage interval for every heap pool. */
  public static void resetPeak() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peak usage since {@link #resetPeak()}, in MiB. */
  public static double peakMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / MB;
  }

  /** Heap in use after full collections, in bytes. */
  public static long settledUsedBytes() {
    long previous = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 5; attempt++) {
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (used >= previous) {
        return Math.min(used, previous);
      }
      previous = used;
    }
    return previous;
  }

  /** Committed heap, in bytes: memory the JVM has reserved for the heap from the OS. */
  public static long committedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }

  /** {@code bytes} in MiB. */
  public static double toMb(long bytes) {
    return bytes / MB;
  }
}
