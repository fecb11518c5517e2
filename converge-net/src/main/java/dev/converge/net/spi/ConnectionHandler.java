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

  /** The connection is closed (by either side); no further calls follow. */
  void onClose(String reason);
}
