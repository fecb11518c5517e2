package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link MessageChunks}: pieces in, one exact array out. */
class MessageChunksTest {
  @Test
  void join_returnsThePiecesInOrder_andStartsOver() {
    MessageChunks chunks = new MessageChunks();
    chunks.add(ByteBuffer.wrap(new byte[] {1, 2}));
    ByteBuffer partly = ByteBuffer.wrap(new byte[] {9, 3, 4, 5});
    partly.get(); // only what remains is taken
    chunks.add(partly);
    assertEquals(5, chunks.size());
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, chunks.join());
    assertEquals(0, chunks.size());
    assertArrayEquals(new byte[0], chunks.join());
  }

  @Test
  void clear_dropsEverything() {
    MessageChunks chunks = new MessageChunks();
    chunks.add(ByteBuffer.allocate(100));
    chunks.clear();
    assertEquals(0, chunks.size());
  }
}
