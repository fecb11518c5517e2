package dev.converge.core.internal.change;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import java.util.List;

/**
 * Fuzzes the chunk splitter and the change chunk decoder with arbitrary bytes.
 *
 * <p>How: the only allowed outcomes are a decoded change or a {@link ConvergeException}; any other
 * exception or error fails. A decoded change must also keep its bytes and survive a second decode
 * unchanged. Under {@code mvn test} Jazzer runs in regression mode and replays the seeds in {@code
 * src/test/resources/dev/converge/core/internal/change/ChangeChunksFuzzTestInputs/}; to explore,
 * run {@code JAZZER_FUZZ=1 mvn -pl converge-core test -Dtest=ChangeChunksFuzzTest}. Every input
 * that ever broke the decoder belongs in that folder.
 */
class ChangeChunksFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    List<Chunk> chunks;
    try {
      chunks = Chunks.split(data);
    } catch (ConvergeException expected) {
      return;
    }
    for (Chunk chunk : chunks) {
      Change change;
      try {
        change = ChangeChunks.decode(chunk, 1 << 20, 1 << 16);
      } catch (ConvergeException expected) {
        continue;
      }
      Change again = ChangeChunks.decode(change.toBytes());
      assertEquals(change.hash(), again.hash());
      assertEquals(change.ops(), again.ops());
      assertArrayEquals(change.toBytes(), again.toBytes());
    }
  }
}
