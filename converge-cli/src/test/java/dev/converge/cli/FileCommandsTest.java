package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The file commands of issue 3: {@code converge cat}, {@code heads}, {@code save} and {@code
 * changes} on the cross-platform exemplar ({@code shared/automerge-fixtures/exemplar}, one change
 * of 21 ops, saved by JS Automerge), on two change chunks, and on a corrupt file, which must exit 1
 * with one {@code converge: ...} line on stderr and nothing on stdout.
 *
 * <p>How: each command runs in process through {@link ConvergeCommand#newCommandLine()}, stdout and
 * stderr captured in strings. The fixtures are found by walking up from the working directory to
 * {@code shared/automerge-fixtures}; without them the tests are skipped.
 */
class FileCommandsTest {
  static final String EXEMPLAR_HEAD =
      "3df6f946d47c57c7fa84fccc3f72c2301c94d6c7d3a79bb6267c315b3d2d364c";

  @TempDir Path directory;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Path fixtures = Path.of("shared/automerge-fixtures");
  private Path corrupt = Path.of("corrupt.automerge");

  @BeforeEach
  void findFixtures() throws IOException {
    Optional<Path> found = sharedFixtures();
    assumeTrue(found.isPresent(), "shared/automerge-fixtures not found");
    fixtures = found.get();
    corrupt = directory.resolve("corrupt.automerge");
    byte[] bytes = Files.readAllBytes(fixtures.resolve("exemplar"));
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(corrupt, bytes);
  }

  private static Optional<Path> sharedFixtures() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/automerge-fixtures");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private int run(String... args) {
    CommandLine commandLine = ConvergeCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private String exemplar() {
    return fixtures.resolve("exemplar").toString();
  }

  private void assertInvalidInput(int exitCode) {
    assertEquals(1, exitCode, err.toString());
    assertTrue(err.toString().startsWith("converge: "), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void cat_exemplar_printsValueOnOneLine() {
    assertEquals(0, run("cat", exemplar()), err.toString());
    List<String> lines = out.toString().lines().toList();
    assertEquals(1, lines.size(), out.toString());
    String json = lines.get(0);
    assertTrue(json.startsWith("{") && json.endsWith("}"), json);
    for (String field :
        List.of(
            "\"bool\":true",
            "\"bytes\":\"hW9Kgw==\"",
            "\"counter\":5",
            "\"fp\":3.14159267",
            "\"int\":-4",
            "\"location\":\"https://automerge.org/\"",
            "\"uint\":18446744073709551615")) {
      assertTrue(json.contains(field), field + " in " + json);
    }
  }

  @Test
  void cat_corruptFile_exitsInvalidInput() {
    assertInvalidInput(run("cat", corrupt.toString()));
  }

  @Test
  void cat_missingFile_exitsInvalidInput() {
    assertInvalidInput(run("cat", directory.resolve("absent.automerge").toString()));
  }

  @Test
  void heads_exemplar_printsItsOneHead() {
    assertEquals(0, run("heads", exemplar()), err.toString());
    assertEquals(EXEMPLAR_HEAD + "\n", out.toString().replace("\r\n", "\n"));
  }

  @Test
  void heads_changeChunks_printsTheLastChange() {
    assertEquals(
        0,
        run("heads", fixtures.resolve("two_change_chunks_out_of_order.automerge").toString()),
        err.toString());
    List<String> heads = out.toString().lines().toList();
    assertEquals(1, heads.size(), out.toString());
    assertTrue(heads.get(0).matches("[0-9a-f]{64}"), heads.get(0));
  }

  @Test
  void heads_corruptFile_exitsInvalidInput() {
    assertInvalidInput(run("heads", corrupt.toString()));
  }

  @Test
  void save_exemplar_writesAFileWithTheSameHeadsAndValue() throws IOException {
    Path saved = directory.resolve("saved.automerge");
    Path plain = directory.resolve("plain.automerge");
    assertEquals(0, run("save", exemplar(), saved.toString()), err.toString());
    assertEquals(0, run("save", exemplar(), plain.toString(), "--no-compress"), err.toString());
    assertEquals("", out.toString());
    assertEquals(0, run("heads", saved.toString()));
    assertEquals(0, run("heads", plain.toString()));
    assertEquals(EXEMPLAR_HEAD + "\n" + EXEMPLAR_HEAD + "\n", out.toString().replace("\r\n", "\n"));
    // A document this small has no column of 256 bytes, so both saves are uncompressed.
    assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(saved));
    out.getBuffer().setLength(0);
    assertEquals(0, run("cat", exemplar()));
    assertEquals(0, run("cat", plain.toString()));
    List<String> values = out.toString().lines().toList();
    assertEquals(values.get(0), values.get(1));
  }

  @Test
  void save_changeChunks_writesADocumentChunk() throws IOException {
    Path saved = directory.resolve("saved.automerge");
    String in = fixtures.resolve("two_change_chunks.automerge").toString();
    assertEquals(0, run("save", in, saved.toString()), err.toString());
    byte[] bytes = Files.readAllBytes(saved);
    assertEquals(0, bytes[8], "chunk type: document");
    assertEquals(0, run("heads", in));
    assertEquals(0, run("heads", saved.toString()));
    List<String> heads = out.toString().lines().toList();
    assertEquals(heads.get(0), heads.get(1));
  }

  @Test
  void save_corruptFile_exitsInvalidInputAndWritesNothing() {
    Path saved = directory.resolve("saved.automerge");
    assertInvalidInput(run("save", corrupt.toString(), saved.toString()));
    assertTrue(Files.notExists(saved));
  }

  @Test
  void save_missingOutput_exitsUsage() {
    assertEquals(2, run("save", exemplar()));
  }

  @Test
  void changes_exemplar_printsOneJsonLinePerChange() {
    assertEquals(0, run("changes", exemplar()), err.toString());
    List<String> lines = out.toString().lines().toList();
    assertEquals(1, lines.size(), out.toString());
    assertTrue(
        lines
            .get(0)
            .matches(
                "\\{\"hash\":\""
                    + EXEMPLAR_HEAD
                    + "\",\"actor\":\"[0-9a-f]+\",\"seq\":1,\"startOp\":1,\"time\":-?[0-9]+,"
                    + "\"message\":(null|\".*\"),\"deps\":\\[\\],\"ops\":21\\}"),
        lines.get(0));
  }

  @Test
  void changes_twoChangeChunks_listsBothWithTheirDeps() {
    assertEquals(
        0,
        run("changes", fixtures.resolve("two_change_chunks.automerge").toString()),
        err.toString());
    List<String> lines = out.toString().lines().toList();
    assertEquals(2, lines.size(), out.toString());
    String first = lines.get(0).replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
    assertTrue(lines.get(1).contains("\"deps\":[\"" + first + "\"]"), lines.toString());
  }

  @Test
  void changes_corruptFile_exitsInvalidInput() {
    assertInvalidInput(run("changes", corrupt.toString()));
  }
}
