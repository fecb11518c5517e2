package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code converge purge DIR URL} end to end, in process: a canary written with {@code converge new}
 * is in the repository's files before (a byte scan of every file), in none after; the command
 * prints one JSON line; the document is gone for {@code get}; a second purge of the same URL
 * succeeds with {@code "existed":false}.
 */
class PurgeCommandTest {
  private static final String CANARY = "zqclicanary5521";

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
  void purge_documentWithCanary_goneFromEveryFileAndFromGet() throws IOException {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    assertEquals(0, run("new", repo, "{\"secret\":\"" + CANARY + "\"}"), err.toString());
    String url = out.toString().strip();
    assertEquals(0, run("new", repo, "{\"other\":\"kept\"}"));
    String kept = out.toString().strip();
    assertFalse(filesHolding(dir, CANARY).isEmpty(), "the canary must be found before");

    assertEquals(0, run("purge", repo, url), err.toString());

    assertEquals("{\"purged\":\"" + url + "\",\"existed\":true}", out.toString().strip());
    assertEquals(List.of(), filesHolding(dir, CANARY));
    assertEquals(1, run("get", repo, url));
    assertTrue(err.toString().contains("no document"), err.toString());
    assertEquals(0, run("get", repo, kept));
    assertEquals("{\"other\":\"kept\"}", out.toString().strip());
    assertEquals(0, run("purge", repo, url), err.toString());
    assertEquals("{\"purged\":\"" + url + "\",\"existed\":false}", out.toString().strip());
  }

  private static List<String> filesHolding(Path root, String canary) throws IOException {
    byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (text.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          holding.add(root.relativize(file).toString());
        }
      }
    }
    return holding;
  }
}
