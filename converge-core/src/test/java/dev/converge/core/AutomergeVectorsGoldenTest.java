package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.change.Json;
import dev.converge.core.internal.change.Vectors;
import dev.converge.core.interop.TypedTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies the changes of every shared vector (made by JS Automerge 3.5.0, see {@code
 * shared/automerge-vectors/README.md}) and compares the resulting document with the vector's typed
 * {@code value}: every map entry, list item, text with its marks, and every conflict with its op
 * ID. Then the same changes are delivered shuffled, with duplicates, to a second replica, which
 * must reach the same value and heads.
 *
 * <p>The typed tree is rebuilt from our document in the vector's own shape ({@link TypedTree}) and
 * both are printed canonically (keys sorted, numbers normalized) before comparing, so a failure
 * shows a readable diff.
 */
class AutomergeVectorsGoldenTest {

  static Stream<String> vectors() {
    return Vectors.vectorNames().stream();
  }

  static List<Change> changesOf(String name) {
    List<Change> changes = new ArrayList<>();
    for (Chunk chunk : Chunks.split(Vectors.vectorFile(name + ".changes"))) {
      changes.add(
          ChangeChunks.decode(
              chunk, ChangeChunks.DEFAULT_MAX_INFLATED_BYTES, ChangeChunks.DEFAULT_MAX_OPS));
    }
    return changes;
  }

  static Map<String, Object> expected(String name) {
    return Json.object(
        Json.parse(new String(Vectors.vectorFile(name + ".json"), StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void applyChanges_inFileOrder_matchesJavaScriptValue(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    Map<String, Object> expected = expected(name);
    Document doc = Document.create();
    List<Change> changes = changesOf(name);
    assertEquals(changes.size(), doc.applyChanges(changes));
    assertEquals(canonical(expected.get("value")), canonical(TypedTree.of(doc)));
    List<String> heads = new ArrayList<>();
    doc.heads().forEach(hash -> heads.add(hash.toHex()));
    assertEquals(expected.get("heads"), heads);
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void applyChanges_shuffledWithDuplicates_convergesToSameValue(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    List<Change> changes = changesOf(name);
    Random random = new Random(name.hashCode());
    List<Change> delivery = new ArrayList<>(changes);
    delivery.addAll(changes.subList(0, changes.size() / 2));
    Collections.shuffle(delivery, random);
    Document doc = Document.create();
    for (int start = 0; start < delivery.size(); start += 3) {
      doc.applyChanges(delivery.subList(start, Math.min(delivery.size(), start + 3)));
    }
    Document inOrder = Document.create();
    inOrder.applyChanges(changes);
    assertEquals(inOrder.heads(), doc.heads());
    assertEquals(canonical(TypedTree.of(inOrder)), canonical(TypedTree.of(doc)));
    assertEquals(List.of(), doc.missingDeps());
  }

  private static String canonical(@Nullable Object node) {
    return TypedTree.canonical(node);
  }
}
