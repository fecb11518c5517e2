package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts of the repository's {@code interop/} Node project ({@code gen.mjs}, {@code
 * inspect.mjs}) with {@code node}, one process per batch of documents. The project is found by
 * walking up from {@code user.dir} to the repository root; its {@code node_modules} must have been
 * installed with {@code npm ci} ({@code .ci/run deps} does it), otherwise the caller fails with a
 * message that says so.
 */
final class NodeScripts {
  private static final long TIMEOUT_SECONDS = 120;

  private NodeScripts() {}

  /** The {@code interop/} directory, with its Node dependencies installed. */
  static Path interopDirectory() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("interop/package.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return fail("interop/package.json not found above " + System.getProperty("user.dir"));
    }
    Path interop = dir.resolve("interop");
    if (!Files.isRegularFile(interop.resolve("node_modules/@automerge/automerge/package.json"))) {
      return fail(
          interop
              + "/node_modules is missing: run `npm ci` in "
              + interop
              + " (`bash .ci/run deps` does) before the interop tests");
    }
    return interop;
  }

  /** Runs {@code node SCRIPT ARGS...} in {@code interop/} and returns its stdout lines. */
  static List<String> run(String script, List<String> arguments) {
    Path interop = interopDirectory();
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(script);
    command.addAll(arguments);
    try {
      Path stderr = Files.createTempFile("converge-node-", ".stderr");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(interop.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Map<String, String> environment = builder.environment();
        environment.remove("NODE_OPTIONS");
        Process process;
        try {
          process = builder.start();
        } catch (IOException e) {
          return fail("cannot start `node` (is Node.js on the PATH?): " + e.getMessage());
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return fail("node " + script + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
          return fail(
              "node "
                  + script
                  + " exited with "
                  + process.exitValue()
                  + ":\n"
                  + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return stdout.lines().toList();
      } finally {
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running node " + script, e);
    }
  }

  /**
   * Loads {@code files} with JavaScript Automerge ({@code inspect.mjs}), one JSON object per file
   * in order: {@code {file, ok, heads, numChanges, value}} or {@code {file, ok:false, error}}; with
   * {@code resave}, also {@code nodeflate}, the base64 of JavaScript's uncompressed re-save.
   */
  static List<Map<String, Object>> inspect(List<Path> files, boolean resave) {
    List<String> arguments = new ArrayList<>();
    if (resave) {
      arguments.add("--resave");
    }
    files.forEach(file -> arguments.add(file.toAbsolutePath().toString()));
    List<Map<String, Object>> results = new ArrayList<>();
    for (String line : run("inspect.mjs", arguments)) {
      results.add(Json.object(Json.parse(line)));
    }
    if (results.size() != files.size()) {
      fail("inspect.mjs printed " + results.size() + " lines for " + files.size() + " files");
    }
    return results;
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
