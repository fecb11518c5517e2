package dev.converge.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code interop/repo/client.mjs} (an automerge-repo 2.5.6 client) with {@code node}. The
 * {@code interop/} project is found above {@code user.dir}; its {@code node_modules} must have been
 * installed with {@code npm ci} ({@code bash .ci/run deps}).
 */
final class NodeClient {
  private static final long TIMEOUT_SECONDS = 90;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path stderr;
  private final List<String> command;
  private final BufferedReader stdout;

  private NodeClient(Process process, Path stderr, List<String> command) {
    this.process = process;
    this.stderr = stderr;
    this.command = command;
    this.stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static Path interopDirectory() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("interop/package.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return fail("interop/package.json not found above " + System.getProperty("user.dir"));
    }
    Path interop = dir.resolve("interop");
    if (!Files.isRegularFile(
        interop.resolve("node_modules/@automerge/automerge-repo-network-websocket/package.json"))) {
      return fail(
          interop + "/node_modules lacks automerge-repo: run `npm ci` there (bash .ci/run deps)");
    }
    return interop;
  }

  /** Starts {@code node repo/client.mjs ARGS...}. */
  static NodeClient start(String... args) throws IOException {
    return startScript("repo/client.mjs", false, args);
  }

  /**
   * Starts {@code node SCRIPT ARGS...} in {@code interop/}; with {@code steered}, its stdin is a
   * pipe for {@link #writeLine}, else empty.
   */
  static NodeClient startScript(String script, boolean steered, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile("converge-node-client-", ".stderr");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(interopDirectory().toFile())
            .redirectError(stderr.toFile());
    if (!steered) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    builder.environment().remove("NODE_OPTIONS");
    return new NodeClient(builder.start(), stderr, command);
  }

  /** The next JSON line the client prints; fails if it exits first. */
  JsonNode readLine() throws IOException, InterruptedException {
    String line = stdout.readLine();
    if (line == null) {
      result(); // reports the failure with stderr
      return fail(command + " ended without printing a line");
    }
    return JSON.readTree(line);
  }

  /** Writes one line to the client's stdin. */
  void writeLine(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** Runs a client to its end and returns the JSON line it printed. */
  static JsonNode run(String... args) throws IOException, InterruptedException {
    return start(args).result();
  }

  /** Waits for the client and returns the JSON line it printed; fails if it failed. */
  JsonNode result() throws IOException, InterruptedException {
    StringBuilder printed = new StringBuilder();
    for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
      printed.append(line).append('\n');
    }
    String output = printed.toString();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(command + " did not finish in " + TIMEOUT_SECONDS + " s");
    }
    String errors = Files.readString(stderr, StandardCharsets.UTF_8);
    Files.deleteIfExists(stderr);
    if (process.exitValue() != 0) {
      fail(command + " exited with " + process.exitValue() + ":\n" + errors + "\n" + output);
    }
    List<String> lines = output.strip().lines().toList();
    if (lines.isEmpty()) {
      return fail(command + " printed nothing:\n" + errors);
    }
    return JSON.readTree(lines.get(lines.size() - 1));
  }
}
