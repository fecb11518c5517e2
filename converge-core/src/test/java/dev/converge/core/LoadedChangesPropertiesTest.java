package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A loaded document keeps the hashes of its stored changes and rebuilds their bytes only when
 * asked: whenever it is asked (first thing, or after further edits and merges), it serves the
 * changes of the document it was saved from, byte for byte, in the same order. Histories are the
 * random forks and merges of {@link DocumentDiffPropertiesTest}.
 */
class LoadedChangesPropertiesTest {

  @Property(tries = 100)
  void changes_ofLoadedDocument_areTheSavedDocumentsBytes(@ForAll long seed) {
    Document original = DocumentDiffPropertiesTest.randomHistory(new Random(seed));
    Document loaded = Document.load(original.save());

    assertEquals(hexes(original.changes()), hexes(loaded.changes()), "seed " + seed);
    assertEquals(
        original.changeSummaries(0, original.changeCount()),
        loaded.changeSummaries(0, loaded.changeCount()),
        "seed " + seed);
  }

  @Property(tries = 100)
  void changes_afterFurtherEditsAndMerges_areTheSameOnBothSides(@ForAll long seed) {
    Random random = new Random(seed);
    Document original = DocumentDiffPropertiesTest.randomHistory(random);
    Document loaded = Document.load(original.save());
    Document other = original.fork(ActorId.fromHex("ee"));
    int steps = 1 + random.nextInt(6);
    for (int i = 0; i < steps; i++) {
      switch (random.nextInt(4)) {
        case 0 -> RandomEdits.edit(loaded, random);
        case 1 -> RandomEdits.edit(other, random);
        case 2 -> loaded.merge(other);
        default -> other.merge(loaded);
      }
    }
    // Asked only now: the stored changes' bytes are rebuilt after later changes went in.
    int askedFirst = random.nextInt(loaded.changeCount());
    ChangeHash hash = loaded.changeSummaries(askedFirst, askedFirst + 1).get(0).hash();
    byte[] bytes = loaded.changeBytes(hash).orElseThrow();
    other.merge(loaded);
    loaded.merge(other);

    assertArrayEquals(other.changeBytes(hash).orElseThrow(), bytes, "seed " + seed);
    assertEquals(other.heads(), loaded.heads(), "seed " + seed);
    assertEquals(sorted(hexes(other.changes())), sorted(hexes(loaded.changes())), "seed " + seed);
    assertEquals(
        hexes(original.changes()),
        hexes(loaded.changes()).subList(0, original.changeCount()),
        "seed " + seed);
    assertEquals(
        sorted(hexes(other.changesSince(original.heads()))),
        sorted(hexes(loaded.changesSince(original.heads()))),
        "seed " + seed);
    assertArrayEquals(Document.load(loaded.save()).save(), loaded.save(), "seed " + seed);
  }

  private static List<String> sorted(List<String> hexes) {
    List<String> copy = new ArrayList<>(hexes);
    copy.sort(null);
    return copy;
  }

  private static List<String> hexes(List<Change> changes) {
    List<String> hexes = new ArrayList<>(changes.size());
    for (Change change : changes) {
      hexes.add(HexFormat.of().formatHex(change.toBytes()));
    }
    return hexes;
  }
}
