package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A saved and loaded document is the document it was: the same heads, the same saved bytes, the
 * same changes (hashes and bytes) served by {@link Document#changes}, and the same value. Histories
 * are the random forks and merges of {@link DocumentDiffPropertiesTest}.
 */
class SaveLoadEqualityPropertiesTest {

  @Property(tries = 150)
  void load_ofSave_isTheSameDocument(@ForAll long seed) {
    Document original = DocumentDiffPropertiesTest.randomHistory(new Random(seed));
    byte[] saved = original.save();
    Document loaded = Document.load(saved);

    assertEquals(original.heads(), loaded.heads(), "seed " + seed);
    assertArrayEquals(saved, loaded.save(), "seed " + seed);
    assertEquals(original.toJson(), loaded.toJson(), "seed " + seed);
    Map<ChangeHash, String> before = new HashMap<>();
    for (Change change : original.changes()) {
      before.put(change.hash(), HexFormat.of().formatHex(change.toBytes()));
    }
    Map<ChangeHash, String> after = new HashMap<>();
    for (Change change : loaded.changes()) {
      after.put(change.hash(), HexFormat.of().formatHex(change.toBytes()));
    }
    assertEquals(before, after, "seed " + seed);
  }
}
