package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example app of {@code examples/todo} as a newcomer runs it: two pages of it in headless
 * Chromium ({@code interop/example-todo-browser.mjs}, Debian's chromium through playwright-core)
 * and its Java program ({@code examples/todo/Todo.java}, run from source on the class path of the
 * shaded {@code converge-cli.jar}, as {@code examples/todo/todo} runs it) edit one list through a
 * {@link ConvergeServer} on 127.0.0.1. The pages must converge, and the Java program's edit must
 * appear in both without a reload. The build bundles the page first ({@code
 * examples/todo/build.mjs} in this module's pom). Screenshots go to {@code
 * target/example-screenshots/}.
 */
class ExampleTodoBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir Path dir;

  @Test
  void twoPagesAndTheJavaProgram_editOneList_allConverge() throws Exception {
    Path root = repositoryRoot();
    Path shots = Path.of("target", "example-screenshots").toAbsolutePath();
    Files.createDirectories(shots);
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(dir, 0))) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      Path browserErr = dir.resolve("browser.stderr");
      Process browser =
          new ProcessBuilder("node", "example-todo-browser.mjs", ws, shots.toString())
              .directory(root.resolve("interop").toFile())
              .redirectError(browserErr.toFile())
              .start();
      try {
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
        JsonNode converged = readJson(lines, browser, browserErr);
        assertEquals("converged", converged.path("step").asText(), converged.toString());
        assertEquals("[\"buy milk\",\"walk the dog\"]", converged.path("titles").toString());
        String url = converged.path("url").asText();

        String javaOutput = runTodo(root, ws, url, "add", "fix the bike");
        assertEquals(
            List.of("1. [x] buy milk", "2. [ ] walk the dog", "3. [ ] fix the bike"),
            javaOutput.lines().toList());
        OutputStream stdin = browser.getOutputStream();
        stdin.write("fix the bike\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        JsonNode result = readJson(lines, browser, browserErr);
        assertTrue(result.path("ok").asBoolean(), result.toString());
        assertEquals(
            "[\"buy milk\",\"walk the dog\",\"fix the bike\"]", result.path("titles").toString());
        assertTrue(browser.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the browser script hangs");
        assertEquals(0, browser.exitValue(), Files.readString(browserErr));

        assertEquals(
            List.of("1. [x] buy milk", "2. [ ] walk the dog"),
            runTodo(root, ws, url, "remove", "3").lines().toList());
      } finally {
        browser.destroyForcibly();
      }
    }
    for (String name :
        new String[] {
          "01-page-a.png", "02-page-b.png", "03-java-edit-page-a.png", "04-java-edit-page-b.png"
        }) {
      assertTrue(Files.size(shots.resolve(name)) > 5_000, name + " is missing or empty");
    }
  }

  /** Runs {@code java -cp converge-cli.jar examples/todo/Todo.java ARGS} and returns its output. */
  private String runTodo(Path root, String ws, String url, String... command)
      throws IOException, InterruptedException {
    Path jar = Path.of("target", "converge-cli.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), jar + " is missing: the package phase makes it");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                java.toString(),
                "-Xmx256m",
                "-cp",
                jar.toString(),
                root.resolve("examples/todo/Todo.java").toString(),
                "--server",
                ws,
                url));
    args.addAll(List.of(command));
    Path out = dir.resolve("todo.stdout");
    Path err = dir.resolve("todo.stderr");
    Process todo =
        new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!todo.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      todo.destroyForcibly();
      fail("Todo.java did not finish in " + TIMEOUT_SECONDS + " s");
    }
    assertEquals(0, todo.exitValue(), "Todo.java failed: " + Files.readString(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static JsonNode readJson(BufferedReader lines, Process process, Path stderr)
      throws IOException, InterruptedException {
    String line = lines.readLine();
    if (line == null) {
      process.waitFor(10, TimeUnit.SECONDS);
      return fail("example-todo-browser.mjs ended early:\n" + Files.readString(stderr));
    }
    return JSON.readTree(line);
  }

  private static Path repositoryRoot() {
    Path at = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (at != null && !Files.isRegularFile(at.resolve("examples/todo/Todo.java"))) {
      at = at.getParent();
    }
    if (at == null) {
      return fail("examples/todo/Todo.java not found above " + System.getProperty("user.dir"));
    }
    return at;
  }
}
