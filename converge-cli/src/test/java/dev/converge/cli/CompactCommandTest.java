package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code converge compact DIR URL} end to end, in process: a canary that was in the document's
 * history but is not in its current value is in the repository's files before (a byte scan of every
 * file) and in none after; the command prints the new URL on one line; {@code get} of the old URL
 * reads the new document; the old URL compacted again, a purged URL and a sealed document are
 * refused with one line and change nothing.
 */
class CompactCommandTest {
  private static final String CANARY = "zqclicompact8812";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine commandLine = ConvergeCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void compact_canaryInHistory_goneFromEveryFileAndOldUrlReadsNew() throws IOException {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    assertEquals(0, run("new", repo, "{\"secret\":\"" + CANARY + "\",\"n\":1}"), err.toString());
    String old = out.toString().strip();
    assertEquals(0, run("put", repo, old, "/secret", "\"gone\""), err.toString());
    assertFalse(filesHolding(dir, CANARY).isEmpty(), "the canary must be found before");

    assertEquals(0, run("compact", repo, old), err.toString());

    String successor = out.toString().strip();
    assertTrue(successor.matches("automerge:[1-9A-HJ-NP-Za-km-z]+"), successor);
    assertNotEquals(old, successor);
    assertEquals(List.of(), filesHolding(dir, CANARY));
    assertEquals(0, run("get", repo, old), err.toString());
    assertEquals("{\"n\":1,\"secret\":\"gone\"}", out.toString().strip());
    assertEquals(0, run("get", repo, successor));
    assertEquals("{\"n\":1,\"secret\":\"gone\"}", out.toString().strip());
    assertEquals(0, run("log", repo, successor));
    assertEquals(1, out.toString().strip().lines().count(), "one change holds the value");

    assertEquals(1, run("compact", repo, old));
    assertTrue(err.toString().contains(successor), err.toString());
    assertEquals(1, err.toString().lines().count());
  }

  @Test
  void compact_purgedDocument_refused() {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    assertEquals(0, run("new", repo, "{\"a\":1}"));
    String url = out.toString().strip();
    assertEquals(0, run("purge", repo, url));

    assertEquals(1, run("compact", repo, url));

    assertTrue(err.toString().contains("purged"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void compact_sealedDocument_refusedAndKept() {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    assertEquals(0, run("new", repo, "--sealed", "{\"a\":1}"), err.toString());
    String link = out.toString().strip();
    assertEquals(0, run("get", repo, link));
    String value = out.toString().strip();

    assertEquals(1, run("compact", repo, link));
    assertTrue(err.toString().contains("sealed"), err.toString());

    assertEquals(0, run("get", repo, link));
    assertEquals(value, out.toString().strip());
  }

  private static List<String> filesHolding(Path root, String canary) throws IOException {
    String needle =
        new String(canary.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (text.contains(needle)) {
          holding.add(root.relativize(file).toString());
        }
      }
    }
    return holding;
  }
}
