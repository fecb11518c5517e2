package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.core.ActorId;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ExpandMark;
import dev.converge.core.LoadOptions;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One document edited concurrently in two units: by JavaScript Automerge 3.5.0, which counts UTF-16
 * code units, and by Converge counting code points. Both sides must end with the same text, marks
 * and heads, and Converge's uncompressed save must be byte for byte JavaScript's when both applied
 * the changes in the same order (a saved document lists its changes in the order they were applied,
 * in JavaScript as here).
 *
 * <p>How, for each of {@link #SEEDS}: {@code interop/text-units.mjs base} makes a document whose
 * text mixes accents, CJK, emoji, combining marks and ZWJ sequences, with a mark. Converge loads it
 * with {@link TextUnit#CODE_POINT} and makes four changes of random splices and marks at code-point
 * positions (its own {@link Random}, seeded by the seed). Then {@code text-units.mjs edit} makes
 * JavaScript's own changes on the same base at UTF-16 positions, applies Converge's, and writes its
 * merged document, and the same merge with Converge's changes applied first. Converge applies
 * JavaScript's changes and compares its replica with the second; a document made of the base,
 * JavaScript's changes and then Converge's must save as the first. A failure names the seed; both
 * sides replay from it.
 */
class TextUnitsInteropIT {
  static final List<Integer> SEEDS = IntStream.rangeClosed(1, 16).boxed().toList();
  static final ActorId CONVERGE = ActorId.fromHex("0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d");
  static final String[] PIECES = {"a", "é", "中", "😀", "👍🏽", "e\u0301", "👨‍👩‍👧", " "};

  @TempDir Path dir;

  @Test
  void javaScriptInUtf16AndConvergeInCodePoints_convergeToTheSameBytes() throws IOException {
    String seeds = SEEDS.stream().map(String::valueOf).collect(Collectors.joining(","));
    NodeScripts.run("text-units.mjs", List.of("base", "--seeds", seeds, "--dir", dir.toString()));
    Map<Integer, Document> documents = new HashMap<>();
    for (int seed : SEEDS) {
      documents.put(seed, editInCodePoints(seed));
    }
    List<String> lines =
        NodeScripts.run(
            "text-units.mjs", List.of("edit", "--seeds", seeds, "--dir", dir.toString()));
    assertEquals(SEEDS.size(), lines.size());
    for (String line : lines) {
      Map<String, Object> merged = Json.object(Json.parse(line));
      int seed = ((Number) Objects.requireNonNull(merged.get("seed"))).intValue();
      Document doc = Objects.requireNonNull(documents.get(seed), "document of seed " + seed);
      doc.loadIncremental(Files.readAllBytes(dir.resolve(seed + ".js")), LoadOptions.DEFAULT);
      String what = "seed " + seed;
      ObjId text = text(doc);
      assertEquals(merged.get("text"), doc.text(text), what);
      assertEquals(marks(merged.get("marks")), doc.inUnit(TextUnit.UTF16).marks(text), what);
      List<String> heads = new ArrayList<>();
      for (ChangeHash head : doc.heads()) {
        heads.add(head.toString());
      }
      assertEquals(Json.array(merged.get("heads")), heads, what);
      assertArrayEquals(
          Files.readAllBytes(dir.resolve(seed + ".merged-java-first")),
          doc.saveNoCompress(),
          what + ", Converge's changes first");
      Document jsFirst = Document.load(Files.readAllBytes(dir.resolve(seed + ".base")));
      jsFirst.loadIncremental(Files.readAllBytes(dir.resolve(seed + ".js")), LoadOptions.DEFAULT);
      jsFirst.loadIncremental(Files.readAllBytes(dir.resolve(seed + ".java")), LoadOptions.DEFAULT);
      assertArrayEquals(
          Files.readAllBytes(dir.resolve(seed + ".merged")),
          jsFirst.saveNoCompress(),
          what + ", JavaScript's changes first");
    }
  }

  /** The marks JavaScript printed ({@code A.marks}: name, value, start, end in UTF-16). */
  private static List<Mark> marks(@Nullable Object printed) {
    List<Mark> marks = new ArrayList<>();
    for (Object item : Json.array(printed)) {
      Map<String, Object> mark = Json.object(item);
      Object value = mark.get("value");
      ScalarValue scalar;
      if (value instanceof Boolean b) {
        scalar = ScalarValue.bool(b);
      } else if (value instanceof String string) {
        scalar = ScalarValue.str(string);
      } else if (value instanceof Number n) {
        scalar = n.doubleValue() == n.longValue() ? ScalarValue.integer(n.longValue()) : null;
      } else {
        scalar = null;
      }
      if (scalar == null) {
        throw new AssertionError("unexpected mark value " + value);
      }
      marks.add(
          new Mark(
              (String) Objects.requireNonNull(mark.get("name")),
              scalar,
              ((Number) Objects.requireNonNull(mark.get("start"))).intValue(),
              ((Number) Objects.requireNonNull(mark.get("end"))).intValue()));
    }
    return marks;
  }

  private static ObjId text(Document doc) {
    return doc.objectAt(ObjId.ROOT, "text").orElseThrow();
  }

  /**
   * Loads the base of {@code seed} counting code points, makes Converge's changes, and writes them
   * for JavaScript to {@code SEED.java}.
   */
  private Document editInCodePoints(int seed) throws IOException {
    byte[] base = Files.readAllBytes(dir.resolve(seed + ".base"));
    long[] time = {1_700_000_200_000L};
    Document doc =
        Document.load(
            base, LoadOptions.DEFAULT.withTextUnit(TextUnit.CODE_POINT), CONVERGE, () -> time[0]);
    List<ChangeHash> baseHeads = doc.heads();
    ObjId text = text(doc);
    Random random = new Random(seed);
    for (int change = 0; change < 4; change++) {
      time[0] += 1000;
      doc.change(
          tx -> {
            for (int edit = 1 + random.nextInt(3); edit > 0; edit--) {
              int length = tx.length(text);
              int start = random.nextInt(length + 1);
              int end = start + random.nextInt(Math.min(4, length - start) + 1);
              if (random.nextInt(5) == 0 && end > start) {
                tx.mark(text, start, end, ExpandMark.BOTH, "java", ScalarValue.integer(edit));
              } else {
                StringBuilder insert = new StringBuilder();
                for (int i = random.nextInt(4); i > 0; i--) {
                  insert.append(PIECES[random.nextInt(PIECES.length)]);
                }
                tx.splice(text, start, end - start, insert.toString());
              }
            }
          });
    }
    Files.write(dir.resolve(seed + ".java"), doc.saveSince(baseHeads));
    return doc;
  }
}
