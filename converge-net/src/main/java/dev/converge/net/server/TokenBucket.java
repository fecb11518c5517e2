package dev.converge.net.server;

import java.util.function.LongSupplier;

/**
 * A connection's message rate limit: a token bucket with one token per message, refilled at {@code
 * ratePerSecond}, holding at most one second's worth, full at first.
 *
 * <p>Thread-safety: not thread-safe; a session touches it only from its transport's one thread per
 * connection.
 */
final class TokenBucket {
  private final double ratePerSecond;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledNanos;

  /** A full bucket; {@code nanoTime} is a monotonic clock in nanoseconds. */
  TokenBucket(int ratePerSecond, LongSupplier nanoTime) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("ratePerSecond must be positive, was " + ratePerSecond);
    }
    this.ratePerSecond = ratePerSecond;
    this.nanoTime = nanoTime;
    this.tokens = ratePerSecond;
    this.refilledNanos = nanoTime.getAsLong();
  }

  /** Takes a token for one message; false, taking none, if the connection is over its rate. */
  boolean take() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(ratePerSecond, tokens + (now - refilledNanos) * ratePerSecond / 1e9);
    refilledNanos = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
