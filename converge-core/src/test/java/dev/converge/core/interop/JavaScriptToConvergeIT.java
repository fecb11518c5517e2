package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.converge.core.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents made by JavaScript Automerge 3.5.0, loaded by Converge.
 *
 * <p>How: {@code interop/gen.mjs} makes {@value #COUNT} random documents for each of {@link #SEEDS}
 * (maps, nested lists, text with non-ASCII and marks, counters, every scalar type, concurrent edits
 * by 2 to 4 actors merged in random pairs), one Node process per seed, run side by side. For every
 * document Converge must:
 *
 * <ul>
 *   <li>load {@code A.save()} (compressed columns), {@code saveNoCompress()}, and an earlier save
 *       followed by change chunks, each giving JavaScript's heads and typed value (conflicts and
 *       marks included);
 *   <li>re-save without compression to exactly JavaScript's {@code saveNoCompress()} bytes;
 *   <li>save with compression to bytes that JavaScript loads (one {@code inspect.mjs} process for
 *       all) with the same heads and value. The DEFLATE bytes themselves may differ from zlib's.
 * </ul>
 *
 * A failure names the seed and document, so {@code node gen.mjs --seed S --count N} replays it.
 */
class JavaScriptToConvergeIT {
  static final int[] SEEDS = {101, 202, 303, 404};
  static final int COUNT = 55;

  @TempDir static Path directory;

  record Generated(int seed, String name, Path dir, Map<String, Object> expected) {
    Path file(String suffix) {
      return dir.resolve(name + suffix);
    }

    @Override
    public String toString() {
      return "seed " + seed + " doc " + name;
    }
  }

  static final List<Generated> documents = new ArrayList<>();

  @BeforeAll
  static void generate() throws IOException {
    List<CompletableFuture<List<String>>> runs = new ArrayList<>();
    for (int seed : SEEDS) {
      Path out = directory.resolve("seed-" + seed);
      runs.add(
          CompletableFuture.supplyAsync(
              () ->
                  NodeScripts.run(
                      "gen.mjs",
                      List.of(
                          "--seed",
                          Integer.toString(seed),
                          "--count",
                          Integer.toString(COUNT),
                          "--out",
                          out.toString()))));
    }
    runs.forEach(CompletableFuture::join);
    for (int seed : SEEDS) {
      Path out = directory.resolve("seed-" + seed);
      for (int i = 0; i < COUNT; i++) {
        String name = String.format("%03d", i);
        String json = Files.readString(out.resolve(name + ".json"));
        documents.add(new Generated(seed, name, out, Json.object(Json.parse(json))));
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> load_javaScriptDocument_sameHeadsValueAndUncompressedBytes() {
    return documents.stream().map(doc -> dynamicTest(doc.toString(), () -> checkLoad(doc)));
  }

  private static void checkLoad(Generated generated) {
    String expectedValue = TypedTree.canonical(generated.expected().get("value"));
    Object expectedHeads = generated.expected().get("heads");
    byte[] nodeflate = Documents.read(generated.file(".nodeflate.automerge"));
    for (String suffix : List.of(".automerge", ".nodeflate.automerge", ".chunks.automerge")) {
      Document doc = Document.load(Documents.read(generated.file(suffix)));
      String what = generated + suffix;
      assertEquals(expectedHeads, Documents.heads(doc), what + ": heads");
      assertEquals(expectedValue, TypedTree.canonical(TypedTree.of(doc)), what + ": value");
      assertEquals(
          ((Number) Objects.requireNonNull(generated.expected().get("numChanges"))).intValue(),
          doc.changes().size(),
          what + ": number of changes");
      if (!suffix.equals(".chunks.automerge")) {
        assertNull(
            Documents.firstDifference(nodeflate, doc.saveNoCompress()),
            what + ": saveNoCompress() differs from JavaScript's");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> save_reloadedByJavaScript_sameHeadsAndValue() throws IOException {
    Path saves = Files.createDirectories(directory.resolve("converge-saves"));
    List<Path> files = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (Generated generated : documents) {
      Path file = saves.resolve(generated.seed() + "-" + generated.name() + ".automerge");
      files.add(file);
      try {
        Documents.write(file, Document.load(Documents.read(generated.file(".automerge"))).save());
        failures.add(null);
      } catch (RuntimeException e) {
        Documents.write(file, new byte[0]);
        failures.add(e);
      }
    }
    List<Map<String, Object>> inspected = NodeScripts.inspect(files, false);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      Generated generated = documents.get(i);
      Map<String, Object> result = inspected.get(i);
      RuntimeException failure = failures.get(i);
      tests.add(
          dynamicTest(
              generated.toString(),
              () -> {
                if (failure != null) {
                  throw failure;
                }
                assertTrue(
                    Boolean.TRUE.equals(result.get("ok")),
                    generated + ": JavaScript refused Converge's save: " + result.get("error"));
                assertEquals(
                    generated.expected().get("heads"), result.get("heads"), generated + ": heads");
                assertEquals(
                    TypedTree.canonical(generated.expected().get("value")),
                    TypedTree.canonical(result.get("value")),
                    generated + ": value");
              }));
    }
    return tests.stream();
  }
}
