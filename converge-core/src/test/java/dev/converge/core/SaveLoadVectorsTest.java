package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.core.internal.change.Vectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared vector saved by JS Automerge 3.5.0 loads, and saving it again without compression
 * gives JS's uncompressed save byte for byte; saving with compression and loading again gives the
 * same document. Also the same for a document rebuilt from the raw changes, applied in file order.
 */
class SaveLoadVectorsTest {

  static Stream<String> vectors() {
    return Vectors.vectorNames().stream();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void load_thenSaveNoCompress_isByteIdenticalToJavaScript(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    byte[] nodeflate = Vectors.vectorFile(name + ".nodeflate.automerge");
    Document fromCompressed = Document.load(Vectors.vectorFile(name + ".automerge"));
    Document fromPlain = Document.load(nodeflate);
    assertArrayEquals(nodeflate, fromCompressed.saveNoCompress());
    assertArrayEquals(nodeflate, fromPlain.saveNoCompress());
    Document reloaded = Document.load(fromPlain.save());
    assertEquals(fromPlain.heads(), reloaded.heads());
    assertEquals(fromPlain.toJson(), reloaded.toJson());
    assertArrayEquals(nodeflate, reloaded.saveNoCompress());
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void changesAppliedInFileOrder_saveLikeJavaScript(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    Document doc = Document.load(Vectors.vectorFile(name + ".changes"));
    assertArrayEquals(Vectors.vectorFile(name + ".nodeflate.automerge"), doc.saveNoCompress());
  }
}
