package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.core.Document;
import dev.converge.core.internal.change.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared vector ({@code shared/automerge-vectors}, saved by JS Automerge 3.5.0) loaded from
 * its files with {@link Document#load(byte[])}.
 *
 * <p>How: {@code vec-NNN.automerge} ({@code A.save}, some columns compressed), {@code
 * vec-NNN.nodeflate.automerge} ({@code saveNoCompress}) and {@code vec-NNN.changes} (raw change
 * chunks) must each give the vector's heads and typed value; re-saving either document file without
 * compression must give the {@code .nodeflate} bytes exactly, and {@code save()} must load back to
 * the same heads and value. Needs no Node: the expected values are in {@code vec-NNN.json}.
 */
class AutomergeVectorsFileTest {
  static Stream<String> vectors() {
    return Vectors.vectorNames().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void load_sharedVector_sameValueHeadsAndBytes(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    Map<String, Object> expected =
        Json.object(
            Json.parse(new String(Vectors.vectorFile(name + ".json"), StandardCharsets.UTF_8)));
    String value = TypedTree.canonical(expected.get("value"));
    List<Object> heads = Json.array(expected.get("heads")).stream().sorted().toList();
    byte[] nodeflate = Vectors.vectorFile(name + ".nodeflate.automerge");
    for (String suffix : List.of(".automerge", ".nodeflate.automerge", ".changes")) {
      Document doc = Document.load(Vectors.vectorFile(name + suffix));
      String what = name + suffix;
      assertEquals(heads, Documents.heads(doc), what + ": heads");
      assertEquals(value, TypedTree.canonical(TypedTree.of(doc)), what + ": value");
      assertEquals(
          Json.array(expected.get("changes")).size(), doc.changes().size(), what + ": changes");
      if (!suffix.equals(".changes")) {
        assertNull(
            Documents.firstDifference(nodeflate, doc.saveNoCompress()),
            what + ": saveNoCompress() differs from JavaScript's");
        Document reloaded = Document.load(doc.save());
        assertEquals(heads, Documents.heads(reloaded), what + ": heads after save() and load");
        assertEquals(
            value,
            TypedTree.canonical(TypedTree.of(reloaded)),
            what + ": value after save() and load");
      }
    }
  }
}
