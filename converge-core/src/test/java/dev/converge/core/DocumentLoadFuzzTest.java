package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link Document#load(byte[], LoadOptions)}, the loader of files from disk and peers.
 *
 * <p>How: the only allowed outcomes are a document or a {@link ConvergeException}; any other
 * exception or error (an ArrayIndexOutOfBounds, an OutOfMemoryError from a length nobody checked)
 * fails. Limits are small so an input cannot make the loader allocate much. A document that loads
 * must save and load again to the same heads and value. Under {@code mvn test} Jazzer replays the
 * seeds in {@code src/test/resources/dev/converge/core/DocumentLoadFuzzTestInputs/} (JS-made
 * documents and change chunks, and the fixtures JS rejects); to explore, run {@code JAZZER_FUZZ=1
 * mvn -pl converge-core test -Dtest=DocumentLoadFuzzTest}. Every input that ever broke the loader
 * belongs in that folder.
 */
class DocumentLoadFuzzTest {
  private static final LoadOptions LIMITS =
      LoadOptions.DEFAULT.withInflatedBytesMax(1 << 20).withOpsMax(1 << 16);

  @FuzzTest(maxDuration = "60s")
  void load(byte[] data) {
    Document doc;
    try {
      doc = Document.load(data, LIMITS);
    } catch (ConvergeException expected) {
      return;
    }
    byte[] saved = doc.saveNoCompress();
    Document again = Document.load(saved, LIMITS);
    assertEquals(doc.heads(), again.heads());
    assertEquals(doc.toJson(), again.toJson());
    assertArrayEquals(saved, again.saveNoCompress());
  }
}
