package dev.converge.net.spi;

/**
 * What a transport calls for the events of one connection. Calls for one connection never overlap
 * and come in the order the frames arrived.
 */
public interface ConnectionHandler {
  /** One frame from the peer; the array is the handler's to keep. */
  void onFrame(byte[] frame);

  /**
   * The peer sent a frame longer than the transport accepts ({@code frameBytes} counted so far);
   * the transport dropped it unread. The default closes nothing: a handler should.
   */
  default void onOversizedFrame(long frameBytes) {}

  /**
   * The transport holds more bytes for this connection than its bound allows ({@code
   * bufferedBytes}: frames received and not yet handled, and frames queued and not yet written,
   * against {@code bytesMax}); it delivers no further frames. Unlike the other calls this one may
   * come from any thread (a send from another connection's thread can cross the bound), so a
   * handler should only send its error and close here, and leave the rest to {@link #onClose}. The
   * default closes nothing: a handler should.
   */
  default void onMemoryExceeded(long bufferedBytes, long bytesMax) {}

  /**
   * The connection is closed (by either side); no further calls follow. A transport must not call
   * it from inside {@link Connection#send} or {@link Connection#close} (a write that fails there is
   * reported later, from another thread): a handler sends while holding its own locks, and takes
   * them in another order here.
   */
  void onClose(String reason);
}
