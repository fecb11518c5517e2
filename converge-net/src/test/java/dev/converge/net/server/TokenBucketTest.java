package dev.converge.net.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Test
  void take_fullBucket_grantsOneSecondsWorthThenRefuses() {
    TokenBucket bucket = new TokenBucket(3, nanos::get);

    assertTrue(bucket.take());
    assertTrue(bucket.take());
    assertTrue(bucket.take());
    assertFalse(bucket.take());
  }

  @Test
  void take_afterEmptying_refillsAtTheRate() {
    TokenBucket bucket = new TokenBucket(4, nanos::get);
    for (int i = 0; i < 4; i++) {
      bucket.take();
    }

    nanos.addAndGet(250_000_000); // a quarter second: one token at 4 a second

    assertTrue(bucket.take());
    assertFalse(bucket.take());
  }

  @Test
  void take_afterLongIdle_holdsAtMostOneSecondsWorth() {
    TokenBucket bucket = new TokenBucket(2, nanos::get);
    nanos.addAndGet(60_000_000_000L);

    assertTrue(bucket.take());
    assertTrue(bucket.take());
    assertFalse(bucket.take());
  }

  @Test
  void take_refusedMessage_takesNoToken() {
    TokenBucket bucket = new TokenBucket(1, nanos::get);
    bucket.take();
    assertFalse(bucket.take());

    nanos.addAndGet(1_000_000_000);

    assertTrue(bucket.take());
  }

  @Test
  void new_zeroRate_throws() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, nanos::get));
    assertTrue(String.valueOf(e.getMessage()).contains("ratePerSecond"));
  }
}
