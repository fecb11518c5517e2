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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents made by Converge, loaded by JavaScript Automerge 3.5.0.
 *
 * <p>How: {@link RandomDocuments} builds {@value #COUNT} documents through Converge's API (2 to 4
 * forks editing concurrently, merged in random pairs). Each is written three ways: {@code save()},
 * {@code saveNoCompress()}, and an earlier {@code save()} followed by {@code saveIncremental()}.
 * One {@code inspect.mjs --resave} process loads all of them; for every file JavaScript must accept
 * it with Converge's heads and typed value (conflicts and marks included), and for the two full
 * saves JavaScript's own uncompressed re-save must be byte-identical to Converge's {@code
 * saveNoCompress()}, which shows that the columns, their order and their RLE are canonical.
 */
class ConvergeToJavaScriptIT {
  static final int COUNT = 220;
  static final long FIRST_SEED = 5000;

  @TempDir Path directory;

  /** One file Converge wrote, with what JavaScript must find in it. */
  record Saved(long seed, Path file, String kind, List<String> heads, String value, Path plain) {
    @Override
    public String toString() {
      return "seed " + seed + " " + kind;
    }
  }

  @TestFactory
  Stream<DynamicTest> save_loadedByJavaScript_sameHeadsValueAndCanonicalBytes() throws IOException {
    List<Saved> saved = new ArrayList<>();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) {
      RandomDocuments.Built built = RandomDocuments.build(seed);
      Document doc = built.doc;
      List<String> heads = Documents.heads(doc);
      String value = TypedTree.canonical(TypedTree.of(doc));
      byte[] plain = doc.saveNoCompress();
      Path dir = Files.createDirectories(directory.resolve(Long.toString(seed)));
      Path plainFile = dir.resolve("saveNoCompress.automerge");
      for (Map.Entry<String, byte[]> entry :
          List.of(
              Map.entry("save()", doc.save()),
              Map.entry("saveNoCompress()", plain),
              Map.entry("save() + saveIncremental()", built.chunks()))) {
        Path file = dir.resolve(entry.getKey().replaceAll("[^a-zA-Z+]", "") + ".automerge");
        Documents.write(file, entry.getValue());
        saved.add(new Saved(seed, file, entry.getKey(), heads, value, plainFile));
      }
    }
    List<Map<String, Object>> inspected =
        NodeScripts.inspect(saved.stream().map(Saved::file).toList(), true);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < saved.size(); i++) {
      Saved one = saved.get(i);
      Map<String, Object> result = inspected.get(i);
      tests.add(dynamicTest(one.toString(), () -> check(one, result)));
    }
    return tests.stream();
  }

  private static void check(Saved saved, Map<String, Object> result) {
    assertTrue(
        Boolean.TRUE.equals(result.get("ok")),
        saved + ": JavaScript refused the file: " + result.get("error"));
    assertEquals(saved.heads(), result.get("heads"), saved + ": heads");
    assertEquals(saved.value(), TypedTree.canonical(result.get("value")), saved + ": value");
    if (!saved.kind().contains("saveIncremental")) {
      byte[] javaScript = Base64.getDecoder().decode((String) result.get("nodeflate"));
      assertNull(
          Documents.firstDifference(javaScript, Documents.read(saved.plain())),
          saved
              + ": Converge's saveNoCompress() differs from JavaScript's re-save (expected ="
              + " JavaScript)");
    }
  }
}
