package dev.converge.bench.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of what the attacks did and what the server answered, by name. Thread-safe. */
final class Tally {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  void add(String name) {
    counts.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
  }

  long get(String name) {
    AtomicLong count = counts.get(name);
    return count == null ? 0 : count.get();
  }

  /** Every count, by name in order. */
  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((name, count) -> copy.put(name, count.get()));
    return copy;
  }
}
