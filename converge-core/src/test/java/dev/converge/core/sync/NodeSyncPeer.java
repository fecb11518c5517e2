package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JavaScript Automerge 3.5.0 peer: {@code node interop/sync-peer.mjs} as a child process, driven
 * by length-prefixed frames over its stdin and stdout (the request kinds are listed in the script).
 * The {@code interop/} project is found by walking up from {@code user.dir}; its {@code
 * node_modules} must have been installed with {@code npm ci}.
 */
final class NodeSyncPeer implements AutoCloseable {
  private final Process process;
  private final DataOutputStream in;
  private final DataInputStream out;
  private final Path stderr;

  NodeSyncPeer() throws IOException {
    Path interop = interopDirectory();
    stderr = Files.createTempFile("converge-sync-peer-", ".stderr");
    ProcessBuilder builder =
        new ProcessBuilder("node", "sync-peer.mjs")
            .directory(interop.toFile())
            .redirectError(stderr.toFile());
    builder.environment().remove("NODE_OPTIONS");
    process = builder.start();
    in = new DataOutputStream(process.getOutputStream());
    out = new DataInputStream(process.getInputStream());
  }

  static Path interopDirectory() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("interop/sync-peer.mjs"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return fail("interop/sync-peer.mjs not found above " + System.getProperty("user.dir"));
    }
    Path interop = dir.resolve("interop");
    if (!Files.isRegularFile(interop.resolve("node_modules/@automerge/automerge/package.json"))) {
      return fail(interop + "/node_modules is missing: run `npm ci` there (`bash .ci/run deps`)");
    }
    return interop;
  }

  /** One reply: its kind byte and payload (never compared, so the array is fine). */
  @SuppressWarnings("ArrayRecordComponent")
  record Reply(char kind, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  Reply request(char kind, byte[] payload) {
    try {
      in.writeInt(1 + payload.length);
      in.writeByte(kind);
      in.write(payload);
      in.flush();
      int length = out.readInt();
      byte[] body = out.readNBytes(length);
      if (body.length != length || length < 1) {
        return fail("sync-peer.mjs closed its output; stderr: " + Files.readString(stderr));
      }
      Reply reply = new Reply((char) body[0], Arrays.copyOfRange(body, 1, body.length));
      if (reply.kind() == 'X') {
        return fail("sync-peer.mjs failed on '" + kind + "': " + reply.text());
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void load(byte[] saved) {
    request('L', saved);
  }

  void edit(int count, int seed) {
    request('E', (count + " " + seed).getBytes(StandardCharsets.US_ASCII));
  }

  Optional<byte[]> generate() {
    Reply reply = request('G', new byte[0]);
    return reply.kind() == 'N' ? Optional.empty() : Optional.of(reply.payload());
  }

  void receive(byte[] message) {
    request('M', message);
  }

  /** {@code {"heads": [...], "changes": [...]}} as JSON text. */
  String headsJson() {
    return request('H', new byte[0]).text();
  }

  byte[] save() {
    return request('S', new byte[0]).payload();
  }

  /** Whether JavaScript sees the same value in {@code saved} as in its own document. */
  String compareValue(byte[] saved) {
    return request('V', saved).text();
  }

  @Override
  public void close() throws IOException {
    in.close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
