package dev.converge.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The JavaScript automerge-repo sync server ({@code interop/repo/sync-server.mjs}) in a child
 * process on 127.0.0.1 and a free port. It stops when its stdin closes, so it cannot outlive the
 * test JVM; {@link #close} closes stdin and waits, then kills it by its own handle.
 */
final class NodeSyncServer implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final String url;

  private NodeSyncServer(Process process, Path stderr, String url) {
    this.process = process;
    this.stderr = stderr;
    this.url = url;
  }

  static NodeSyncServer start() throws IOException {
    Path stderr = Files.createTempFile("converge-js-sync-server-", ".stderr");
    ProcessBuilder builder =
        new ProcessBuilder("node", "repo/sync-server.mjs")
            .directory(NodeClient.interopDirectory().toFile())
            .redirectError(stderr.toFile());
    builder.environment().remove("NODE_OPTIONS");
    Process process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      process.destroyForcibly();
      throw new IOException(
          "the JS sync server printed nothing: "
              + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    String url = new ObjectMapper().readTree(line).get("url").asText();
    return new NodeSyncServer(process, stderr, url);
  }

  /** {@code ws://127.0.0.1:PORT/}. */
  String url() {
    return url;
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stderr);
  }
}
