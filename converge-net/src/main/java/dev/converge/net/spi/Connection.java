package dev.converge.net.spi;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One live connection to a peer, carrying whole frames (one automerge-repo message each) both ways.
 * A transport implements it; the sync layer sends through it.
 *
 * <p>Thread-safety: implementations must accept {@link #send} and {@link #close} from any thread,
 * and keep the frames of one connection in the order {@link #send} was called.
 */
public interface Connection {
  /**
   * Queues one frame for the peer without blocking. A transport may close the connection instead,
   * when the peer does not read fast enough for its bounds.
   */
  void send(byte[] frame);

  /**
   * Queues one frame that may be lost (an ephemeral message) without blocking, or drops it: a
   * transport drops it rather than queue it when the peer is behind or memory is short, so that
   * what may be lost is shed before what may not. {@code frame} makes the frame, and is called only
   * if it is queued (a dropped frame is never encoded); {@code frameBytesEstimate} is at least its
   * length, for the decision. The default always sends.
   *
   * @return whether the frame was queued
   */
  default boolean offer(long frameBytesEstimate, Supplier<byte[]> frame) {
    send(frame.get());
    return true;
  }

  /** Closes the connection; frames queued before may or may not still be delivered. */
  void close(String reason);

  /** Where the peer is, for logs (an address, or a name in tests). */
  String description();

  /**
   * Who the transport authenticated the peer as (for example the name of its bearer token), or
   * empty if it did not authenticate it.
   */
  default Optional<String> principal() {
    return Optional.empty();
  }
}
