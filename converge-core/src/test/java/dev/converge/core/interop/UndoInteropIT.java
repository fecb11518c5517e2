package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.converge.core.ActorId;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.UndoEdits;
import dev.converge.core.UndoManager;
import dev.converge.core.UndoOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undo and redo changes made by Converge, applied by JavaScript Automerge 3.5.0: they are ordinary
 * changes, and JavaScript reaches the same value from them.
 *
 * <p>How: for each of {@value #COUNT} seeds, two replicas edit one document concurrently ({@link
 * UndoEdits}: nested objects, text with marks, counters), sync now and then, and one of them undoes
 * and redoes through an {@link UndoManager} at random; each run ends with an undo and a redo. Each
 * document is written twice: its {@code save()}, and its save from before the final undo followed
 * by the undo and redo change chunks, which JavaScript applies as incoming changes. One {@code
 * inspect.mjs} process loads every file; each must load with Converge's heads and typed value
 * (conflicts and marks included).
 */
class UndoInteropIT {
  static final int COUNT = 60;
  static final long FIRST_SEED = 9000;

  @TempDir Path directory;

  /** One file Converge wrote, with what JavaScript must find in it. */
  record Saved(long seed, Path file, String kind, List<String> heads, String value) {
    @Override
    public String toString() {
      return "seed " + seed + " " + kind;
    }
  }

  @TestFactory
  Stream<DynamicTest> undoAndRedoChanges_appliedByJavaScript_sameHeadsAndValue()
      throws IOException {
    List<Saved> saved = new ArrayList<>();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      Document mine = Document.create(actor(random), () -> 0L);
      Document theirs = mine.fork(actor(random));
      UndoManager undo = new UndoManager(mine, UndoOptions.of(() -> 0L).withMergeIntervalMillis(0));
      edit(random, mine, theirs, undo);
      undo.change(tx -> UndoEdits.edit(tx, random));
      byte[] before = mine.save();
      List<ChangeHash> headsBefore = mine.heads();
      assertTrue(undo.undo().isPresent(), "seed " + seed + ": the final undo");
      assertTrue(undo.redo().isPresent(), "seed " + seed + ": the final redo");
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      chunks.write(before);
      chunks.write(mine.saveSince(headsBefore));
      List<String> heads = Documents.heads(mine);
      String value = TypedTree.canonical(TypedTree.of(mine));
      Path dir = Files.createDirectories(directory.resolve(Long.toString(seed)));
      for (Map.Entry<String, byte[]> entry :
          List.of(
              Map.entry("save()", mine.save()),
              Map.entry("save() before undo + undo and redo changes", chunks.toByteArray()))) {
        Path file = dir.resolve(entry.getKey().replaceAll("[^a-z]", "") + ".automerge");
        Documents.write(file, entry.getValue());
        saved.add(new Saved(seed, file, entry.getKey(), heads, value));
      }
    }
    List<Map<String, Object>> inspected =
        NodeScripts.inspect(saved.stream().map(Saved::file).toList(), false);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < saved.size(); i++) {
      Saved one = saved.get(i);
      Map<String, Object> result = inspected.get(i);
      tests.add(dynamicTest(one.toString(), () -> check(one, result)));
    }
    return tests.stream();
  }

  /** Random edits on both replicas, syncs, undos and redos, as the properties draw them. */
  private static void edit(
      SplittableRandom random, Document mine, Document theirs, UndoManager undo) {
    int steps = 5 + random.nextInt(30);
    for (int step = 0; step < steps; step++) {
      int choice = random.nextInt(20);
      if (choice < 7) {
        undo.change(tx -> UndoEdits.edit(tx, random));
      } else if (choice < 11) {
        theirs.change(tx -> UndoEdits.edit(tx, random));
      } else if (choice < 13) {
        mine.merge(theirs);
        theirs.merge(mine);
      } else if (choice < 17) {
        undo.undo();
      } else {
        undo.redo();
      }
    }
    mine.merge(theirs);
  }

  private static ActorId actor(SplittableRandom random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return ActorId.of(bytes);
  }

  private static void check(Saved saved, Map<String, Object> result) {
    assertTrue(
        Boolean.TRUE.equals(result.get("ok")),
        saved + ": JavaScript refused the file: " + result.get("error"));
    assertEquals(saved.heads(), result.get("heads"), saved + ": heads");
    assertEquals(saved.value(), TypedTree.canonical(result.get("value")), saved + ": value");
  }
}
