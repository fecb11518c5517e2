package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.Repo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15: every command, given bad input, keeps the promise of {@code converge --help}: exit 1
 * for invalid input with exactly one line on stderr ({@code converge: ...}), exit 2 for a usage
 * error (one line, optionally followed by the usage or a suggestion), never a stack trace or a Java
 * class name, nothing on stdout, and no change to the repository.
 *
 * <p>How: one repository is made once (two documents, one view, an exported file); each row runs
 * one command line in process with stdout and stderr captured, and compares {@link RepoState} (the
 * directory's files, every document's change hashes and saved bytes, every view's rows) before and
 * after. Placeholders in a row: {@code {repo}}, {@code {url}}, {@code {file}} (a valid Automerge
 * file), {@code {corrupt}}, {@code {missing}}, {@code {dir}} (a directory that is no repository),
 * {@code {text}} (a plain text file), {@code {busyPort}} (a port this test holds). A row marked
 * {@code held} runs while this JVM holds the repository open, as a running server would.
 */
class CommandBadInputTest {
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*");
  private static final Pattern STACK_FRAME =
      Pattern.compile("^\\s+at [\\w.$]+\\(", Pattern.MULTILINE);

  @TempDir static Path root;
  private static String url = "";
  private static @Nullable ServerSocket busy;

  @BeforeAll
  static void makeRepository() throws IOException {
    Path repo = root.resolve("repo");
    assertEquals(0, run("init", repo.toString()).exit());
    Result created =
        run("new", repo.toString(), "{\"type\":\"todo\",\"title\":\"milk\",\"n\":[1]}");
    assertEquals(0, created.exit(), created.err());
    url = created.out().strip();
    assertEquals(0, run("new", repo.toString(), "{\"type\":\"note\"}").exit());
    assertEquals(
        0,
        run(
                "views",
                repo.toString(),
                "define",
                "todos",
                "--where",
                "$.type=\"todo\"",
                "--column",
                "title=$.title")
            .exit());
    assertEquals(
        0, run("export", repo.toString(), url, root.resolve("doc.automerge").toString()).exit());
    byte[] bytes = Files.readAllBytes(root.resolve("doc.automerge"));
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(root.resolve("corrupt.automerge"), bytes);
    Files.createDirectories(root.resolve("plain-dir"));
    Files.writeString(root.resolve("text.txt"), "not an automerge file\n");
    busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void releasePort() throws IOException {
    ServerSocket socket = busy;
    if (socket != null) {
      socket.close();
    }
  }

  record Row(String name, int exit, @Nullable String message, boolean held, List<String> args) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row usage(String name, String... args) {
    return new Row(name, 2, null, false, List.of(args));
  }

  static Row invalid(String name, @Nullable String message, String... args) {
    return new Row(name, 1, message, false, List.of(args));
  }

  static Row held(String name, String... args) {
    return new Row(name, 1, "in use by another process", true, List.of(args));
  }

  static Stream<Row> rows() {
    return Stream.of(
            CommandBadInputRows.root(),
            CommandBadInputRows.fileCommands(),
            CommandBadInputRows.repositoryCommands(),
            CommandBadInputRows.queryAndViews(),
            CommandBadInputRows.sealedAndSync(),
            CommandBadInputRows.serveAndSim())
        .flatMap(List::stream);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void command_badInput_keepsThePromise(Row row) throws IOException {
    Path repo = root.resolve("repo");
    RepoState before = RepoState.of(repo);
    List<String> rootFiles = listing(root);
    Result result;
    if (row.held()) {
      try (Repo holder = Repo.open(repo)) {
        result = run(substitute(row.args()));
        assertFalse(holder.list().isEmpty());
      }
    } else {
      result = run(substitute(row.args()));
    }
    String err = result.err();
    assertEquals(row.exit(), result.exit(), row.name() + ": stderr: " + err);
    assertEquals("", result.out(), row.name() + ": stdout");
    List<String> lines = err.lines().toList();
    assertFalse(lines.isEmpty(), row.name() + ": nothing on stderr");
    if (row.exit() == ExitCodes.INVALID_INPUT) {
      assertEquals(1, lines.size(), row.name() + ": " + err);
      assertTrue(lines.get(0).startsWith("converge: "), err);
    } else {
      // picocli may add its suggestion or the usage after the one line.
      assertTrue(
          lines.size() == 1
              || lines.get(1).startsWith("Usage: ")
              || lines.get(1).startsWith("Did you mean: "),
          row.name() + ": " + err);
    }
    String first = lines.get(0);
    assertFalse(CLASS_NAME.matcher(first).find(), row.name() + ": a class name in: " + first);
    assertFalse(STACK_FRAME.matcher(err).find(), row.name() + ": a stack trace: " + err);
    assertFalse(first.contains("Exception"), row.name() + ": " + first);
    assertFalse(first.endsWith(": null"), row.name() + ": no reason in: " + first);
    String message = row.message();
    if (message != null) {
      assertTrue(first.contains(message), row.name() + ": expected '" + message + "' in " + first);
    }
    assertEquals(before, RepoState.of(repo), row.name() + ": the repository changed");
    assertEquals(rootFiles, listing(root), row.name() + ": a file appeared or went");
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  private static String[] substitute(List<String> args) {
    List<String> out = new ArrayList<>();
    ServerSocket socket = busy;
    for (String arg : args) {
      out.add(
          arg.replace("{repo}", root.resolve("repo").toString())
              .replace("{url}", url)
              .replace("{file}", root.resolve("doc.automerge").toString())
              .replace("{corrupt}", root.resolve("corrupt.automerge").toString())
              .replace("{missing}", root.resolve("missing.automerge").toString())
              .replace("{dir}", root.resolve("plain-dir").toString())
              .replace("{text}", root.resolve("text.txt").toString())
              .replace(
                  "{busyPort}", socket == null ? "0" : Integer.toString(socket.getLocalPort())));
    }
    return out.toArray(String[]::new);
  }

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        ConvergeCommand.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
