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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code converge new DIR --sealed JSON} seals the document before it holds its content, so that no
 * failure between the two leaves the content in the repository as a plaintext document (which the
 * next {@code converge sync} would send to the server in the clear).
 *
 * <p>How: the sealed store cannot be opened (a directory stands where {@code sealed.sqlite} would
 * be), so sealing fails; the command must fail and no file of the repository may hold the
 * document's canary value. Before the fix the content was made durable first, and the canary was in
 * the repository's log after the failure.
 */
class NewSealedCommandTest {
  private static final String CANARY = "canary-3f9d1c-new-sealed";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ConvergeCommand.newCommandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void newSealed_sealingFails_leavesNoPlaintextCopy() throws IOException {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    out.getBuffer().setLength(0);
    Files.createDirectory(dir.resolve("repo").resolve("sealed.sqlite"));
    int exit = run("new", repo, "--sealed", "{\"secret\":\"" + CANARY + "\"}");
    assertEquals(ExitCodes.INVALID_INPUT, exit, out + " / " + err);
    assertTrue(out.toString().isEmpty(), out.toString());
    assertEquals(List.of(), filesHoldingCanary(dir.resolve("repo")));
  }

  @Test
  void newSealed_thenGetByLink_readsTheContent() {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    out.getBuffer().setLength(0);
    assertEquals(
        0, run("new", repo, "--sealed", "{\"secret\":\"" + CANARY + "\"}"), err.toString());
    String link = out.toString().trim();
    assertTrue(link.startsWith("converge-sealed:"), link);
    out.getBuffer().setLength(0);
    assertEquals(0, run("get", repo, link, "/secret"), err.toString());
    assertEquals("\"" + CANARY + "\"", out.toString().trim());
  }

  @Test
  void join_twice_secondPrintsTheUrlSaysSoAndExitsZero() {
    String writer = dir.resolve("writer").toString();
    String reader = dir.resolve("reader").toString();
    assertEquals(0, run("init", writer));
    assertEquals(0, run("init", reader));
    out.getBuffer().setLength(0);
    assertEquals(0, run("new", writer, "--sealed"), err.toString());
    String link = out.toString().trim();
    out.getBuffer().setLength(0);
    assertEquals(0, run("join", reader, link), err.toString());
    String url = out.toString().trim();
    assertTrue(url.startsWith("automerge:"), url);
    assertTrue(err.toString().isEmpty(), err.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run("join", reader, link), err.toString());
    assertEquals(url, out.toString().trim());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("joined already; nothing changed"), err.toString());
  }

  private static List<Path> filesHoldingCanary(Path root) throws IOException {
    byte[] canary = CANARY.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              file -> {
                try {
                  return contains(Files.readAllBytes(file), canary);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void contains_findsTheNeedle() {
    assertTrue(
        contains(
            "xxabcx".getBytes(StandardCharsets.UTF_8), "abc".getBytes(StandardCharsets.UTF_8)));
    assertFalse(
        contains("xxabx".getBytes(StandardCharsets.UTF_8), "abc".getBytes(StandardCharsets.UTF_8)));
  }
}
