package dev.converge.net.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest number seen per source (a message count per session, a timestamp per storage ID), for
 * the most recently used {@code capacity} sources. Relays in a loop or a mesh deliver the same
 * message more than once; a number at or below its source's mark is one seen already. Forgetting
 * the least recently used sources bounds the memory a peer that invents sources can take; a
 * forgotten source's next number counts as new again. Thread-safe.
 */
public final class HighWaterMarks {
  /** Guarded by itself. */
  private final Map<String, Long> marks;

  public HighWaterMarks(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    this.marks =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Whether {@code number} is above {@code source}'s mark; if so, it becomes the mark. */
  public boolean advance(String source, long number) {
    synchronized (marks) {
      Long last = marks.get(source);
      if (last != null && number <= last) {
        return false;
      }
      marks.put(source, number);
      return true;
    }
  }
}
