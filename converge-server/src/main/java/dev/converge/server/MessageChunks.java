package dev.converge.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces of one WebSocket message as they arrive, joined into one array only when it is
 * complete. A growing array (a {@code ByteArrayOutputStream}) doubles as it fills: a 64 MiB message
 * would cost a 32 MiB and a 64 MiB array at once, and its final copy a third; and its large arrays
 * are what fragments a G1 heap (an oversize-frame flood in the soak ran a 512 MiB server out of
 * memory that way). Here the pieces are the transport's small buffers, a message dropped part way
 * never allocates its whole size, and the only large array is the exact one handed on.
 *
 * <p>Thread-safety: none; one connection's reading thread at a time.
 */
final class MessageChunks {
  private final List<byte[]> chunks = new ArrayList<>();
  private long size;

  /** Bytes held so far. */
  long size() {
    return size;
  }

  /** Copies what remains of {@code payload}. */
  void add(ByteBuffer payload) {
    byte[] chunk = new byte[payload.remaining()];
    payload.get(chunk);
    chunks.add(chunk);
    size += chunk.length;
  }

  /**
   * The whole message in one array of its exact length; the pieces are let go.
   *
   * @throws IllegalStateException if it is longer than an array can be (callers bound it far below)
   */
  byte[] join() {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("a message of " + size + " bytes cannot be one array");
    }
    byte[] whole = new byte[(int) size];
    int offset = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, whole, offset, chunk.length);
      offset += chunk.length;
    }
    clear();
    return whole;
  }

  void clear() {
    chunks.clear();
    size = 0;
  }
}
