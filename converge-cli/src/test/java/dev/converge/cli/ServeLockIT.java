package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.cli.CommandBadInputTest.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 8: while {@code converge serve} runs on a data directory in another process, a
 * command-line write to that directory, and a second server, are refused with one line naming the
 * cause and change nothing; once the server stopped (SIGTERM), the write works. Before, both opened
 * the directory, and the server's clients never saw the write until a restart.
 *
 * <p>How: the server is a child JVM running {@link ConvergeCommand} from this test's classpath; the
 * test waits for its {@code listening on} line. The second server is a second child.
 */
class ServeLockIT {
  @TempDir Path dir;

  @Test
  void cliWriteAndSecondServer_whileServing_areRefused() throws Exception {
    String data = dir.resolve("data").toString();
    assertEquals(0, CommandBadInputTest.run("init", data).exit());
    Result created = CommandBadInputTest.run("new", data, "{\"a\":1}");
    String url = created.out().strip();
    RepoState before = RepoState.of(Path.of(data));

    Process server =
        converge(ProcessBuilder.Redirect.DISCARD, "serve", "--port", "0", "--data", data);
    try {
      String line = firstLine(server);
      assertTrue(line.startsWith("listening on ws://127.0.0.1:"), line);

      Result put = CommandBadInputTest.run("put", data, url, "/a", "2");
      assertEquals(1, put.exit(), put.err());
      assertTrue(put.err().contains("in use by another process"), put.err());
      assertEquals(1, put.err().lines().count(), put.err());

      Process second =
          converge(ProcessBuilder.Redirect.PIPE, "serve", "--port", "0", "--data", data);
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second server kept running");
      String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, second.exitValue(), err);
      assertTrue(
          err.lines().anyMatch(l -> l.startsWith("converge: ") && l.contains("in use")), err);
    } finally {
      server.destroy();
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
    }
    assertEquals(before.documents(), RepoState.of(Path.of(data)).documents());
    assertEquals(0, CommandBadInputTest.run("put", data, url, "/a", "2").exit());
    assertEquals("2", CommandBadInputTest.run("get", data, url, "/a").out().strip());
  }

  private static Process converge(ProcessBuilder.Redirect stderr, String... args)
      throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ConvergeCommand.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr).start();
  }

  private static String firstLine(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    return line == null ? "(no output; exit " + process.exitValue() + ")" : line;
  }
}
