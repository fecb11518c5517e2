package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The local repository commands end to end: init, new, put, get, log, export, import, query and
 * views, each run in process on a repository in a temporary directory, with stdout and stderr
 * captured. Bad input exits 1 with one line on stderr and leaves the document unchanged.
 */
class RepoCommandsTest {
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

  private String stdout() {
    return out.toString().strip();
  }

  @Test
  void repoCommands_roundTrip() throws Exception {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    assertEquals(0, run("new", repo, "{\"type\":\"todo\",\"title\":\"milk\",\"tags\":[1,2]}"));
    String url = stdout();
    assertTrue(url.startsWith("automerge:"), url);

    assertEquals(0, run("put", repo, url, "/done", "true"));
    assertEquals(0, run("put", repo, url, "/tags/2", "3.5"));
    assertEquals(0, run("get", repo, url));
    assertEquals(
        "{\"done\":true,\"tags\":[1,2,3.5],\"title\":\"milk\",\"type\":\"todo\"}", stdout());
    assertEquals(0, run("get", repo, url, "/tags/1"));
    assertEquals("2", stdout());

    assertEquals(0, run("log", repo, url));
    assertEquals(3, stdout().lines().count(), stdout());

    assertEquals(
        0,
        run(
            "views",
            repo,
            "define",
            "todos",
            "--where",
            "$.type=\"todo\"",
            "--column",
            "title=$.title",
            "--column",
            "done=$.done"));
    assertEquals(0, run("query", repo, "SELECT title, done FROM view_todos"));
    assertEquals("{\"title\":\"milk\",\"done\":1}", stdout());
    assertEquals(0, run("views", repo, "rebuild"));
    assertEquals(0, run("query", repo, "SELECT title, done FROM view_todos"));
    assertEquals("{\"title\":\"milk\",\"done\":1}", stdout());
    assertEquals(0, run("views", repo, "list"));
    assertTrue(stdout().startsWith("todos"), stdout());

    Path file = dir.resolve("doc.automerge");
    assertEquals(0, run("export", repo, url, file.toString()));
    assertTrue(Files.size(file) > 0);
    assertEquals(0, run("import", repo, file.toString()));
    String copy = stdout();
    assertEquals(0, run("get", repo, copy));
    assertEquals(
        "{\"done\":true,\"tags\":[1,2,3.5],\"title\":\"milk\",\"type\":\"todo\"}", stdout());
    assertEquals(0, run("import", repo, file.toString(), "--into", url));
    assertEquals(url, stdout());
  }

  @Test
  void import_manyFiles_oneUrlEach_noProgressBarWithoutTerminal() throws Exception {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    String[] args = new String[7];
    args[0] = "import";
    args[1] = repo;
    for (int i = 0; i < 5; i++) {
      assertEquals(0, run("new", repo, "{\"n\":" + i + "}"));
      Path file = dir.resolve("doc" + i + ".automerge");
      assertEquals(0, run("export", repo, stdout(), file.toString()));
      args[i + 2] = file.toString();
    }
    assertEquals(0, run(args));
    java.util.List<String> urls = stdout().lines().toList();
    assertEquals(5, urls.size());
    assertEquals("", err.toString());
    for (int i = 0; i < 5; i++) {
      assertEquals(0, run("get", repo, urls.get(i), "/n"));
      assertEquals(Integer.toString(i), stdout());
    }
    assertEquals(0, run("query", repo, "SELECT count(*) AS n FROM documents"));
    assertEquals("{\"n\":10}", stdout());
  }

  @Test
  void import_oneBadFileAmongMany_importsNothing() throws Exception {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    assertEquals(0, run("new", repo, "{\"n\":1}"));
    Path good = dir.resolve("good.automerge");
    assertEquals(0, run("export", repo, stdout(), good.toString()));
    Path bad = dir.resolve("bad.automerge");
    Files.write(bad, new byte[] {1, 2, 3});
    assertEquals(1, run("import", repo, good.toString(), bad.toString()));
    assertTrue(err.toString().contains("bad.automerge"), err.toString());
    assertEquals(0, run("query", repo, "SELECT count(*) AS n FROM documents"));
    assertEquals("{\"n\":1}", stdout());
  }

  @Test
  void badInput_exitsOneAndChangesNothing() {
    String repo = dir.resolve("repo").toString();
    assertEquals(0, run("init", repo));
    assertEquals(0, run("new", repo, "{\"a\":{\"b\":1}}"));
    String url = stdout();

    assertEquals(1, run("put", repo, url, "/missing/b", "1"));
    assertTrue(err.toString().contains("no key 'missing'"), err.toString());
    assertEquals(1, run("put", repo, url, "/a/b", "{not json"));
    assertTrue(err.toString().startsWith("converge: not JSON"), err.toString());
    assertEquals(1, run("get", repo, url, "/nope"));
    assertEquals(1, run("get", repo, "automerge:notbase58check0OIl", "/nope"));
    assertEquals(1, run("query", repo, "DELETE FROM documents"));
    assertEquals(1, run("get", dir.resolve("no-repo").toString(), url));
    assertEquals(0, run("get", repo, url));
    assertEquals("{\"a\":{\"b\":1}}", stdout());
    assertEquals(0, run("log", repo, url));
    assertEquals(1, stdout().lines().count());
  }
}
