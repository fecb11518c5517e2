package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code converge bench-trace} on a handmade trace: one JSON line per run with the contract's keys
 * in order, exit 0; exit 1 when the trace's endContent is not what the edits produce.
 *
 * <p>How: the command runs in process through {@link ConvergeCommand#newCommandLine()}, stdout and
 * stderr captured in strings; traces are written to a JUnit temporary directory.
 */
class BenchTraceCommandTest {
  @TempDir Path directory;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = ConvergeCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path trace(String endContent) throws IOException {
    Path file = directory.resolve("handmade.json");
    String json =
        "{\"startContent\":\"\",\"endContent\":\""
            + endContent
            + "\",\"txns\":["
            + "{\"time\":\"t\",\"patches\":[[0,0,\"hello\"]]},"
            + "{\"time\":\"t\",\"patches\":[[0,5,\"hi\"],[2,0,\" there\"]]}]}";
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void benchTrace_twoRuns_printsOneJsonLinePerRun() throws IOException {
    assertEquals(
        0, run("bench-trace", trace("hi there").toString(), "--runs", "2"), err.toString());

    List<String> lines = out.toString().lines().toList();
    assertEquals(2, lines.size(), out.toString());
    for (String line : lines) {
      assertTrue(
          line.matches(
              "\\{\"trace\":\"handmade\",\"ops\":3,\"apply_ms\":[0-9.]+,"
                  + "\"save_ms\":([0-9.]+|null),\"bytes\":([0-9]+|null),\"load_ms\":([0-9.]+|null),"
                  + "\"final_length\":8,\"peak_heap_mb\":[0-9.]+\\}"),
          line);
    }
  }

  /**
   * Positions count code points: the second patch goes after the emoji (code point 1), which is
   * UTF-16 index 2; counted in UTF-16 it would split the emoji.
   */
  @Test
  void benchTrace_nonAsciiTrace_countsCodePoints() throws IOException {
    Path file = directory.resolve("unicode.json");
    Files.writeString(
        file,
        "{\"endContent\":\"😀中é!\",\"txns\":["
            + "{\"patches\":[[0,0,\"😀é\"]]},"
            + "{\"patches\":[[1,0,\"中\"]]},"
            + "{\"patches\":[[3,0,\"!x\"],[4,1,\"\"]]}]}",
        StandardCharsets.UTF_8);
    assertEquals(0, run("bench-trace", file.toString()), err.toString());
    assertTrue(out.toString().contains("\"ops\":4,"), out.toString());
    assertTrue(out.toString().contains("\"final_length\":4,"), out.toString());
  }

  @Test
  void benchTrace_concurrentNonAsciiTrace_countsCodePoints() throws IOException {
    Path file = directory.resolve("unicode-concurrent.json");
    Files.writeString(
        file,
        "{\"kind\":\"concurrent\",\"endContent\":\"𝄞a中😀b\",\"numAgents\":2,\"txns\":["
            + "{\"parents\":[],\"agent\":0,\"patches\":[[0,0,\"😀a😀b\"]]},"
            + "{\"parents\":[0],\"agent\":0,\"patches\":[[0,1,\"𝄞\"]]},"
            + "{\"parents\":[0],\"agent\":1,\"patches\":[[2,0,\"中\"]]},"
            + "{\"parents\":[1,2],\"agent\":1,\"patches\":[]}]}",
        StandardCharsets.UTF_8);
    assertEquals(0, run("bench-trace", file.toString()), err.toString());
    assertTrue(out.toString().contains("\"final_length\":5,"), out.toString());
  }

  @Test
  void benchTrace_applyChanges_printsOneLinePerRun() throws IOException {
    assertEquals(
        0,
        run("bench-trace", trace("hi there").toString(), "--apply-changes", "--runs", "2"),
        err.toString());
    List<String> lines = out.toString().lines().toList();
    assertEquals(2, lines.size(), out.toString());
    for (String line : lines) {
      // The setup change that makes the text, then one change per txn.
      assertTrue(
          line.matches(
              "\\{\"trace\":\"handmade\",\"changes\":3,\"apply_changes_ms\":[0-9.]+,"
                  + "\"load_incremental_ms\":[0-9.]+,\"final_length\":8\\}"),
          line);
    }
  }

  @Test
  void benchTrace_wrongEndContent_exitsNonZero() throws IOException {
    assertEquals(1, run("bench-trace", trace("hi there!").toString()));
    assertTrue(err.toString().contains("differs from endContent"), err.toString());
  }

  @Test
  void benchTrace_missingFile_exitsInvalidInput() {
    assertEquals(1, run("bench-trace", directory.resolve("absent.json").toString()));
    assertTrue(err.toString().startsWith("converge: cannot read trace"), err.toString());
  }

  @Test
  void benchTrace_zeroRuns_exitsUsage() throws IOException {
    assertEquals(2, run("bench-trace", trace("hi there").toString(), "--runs", "0"));
  }
}
