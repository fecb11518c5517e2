package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * JavaScript Automerge's loader in a long-running Node process ({@code interop/verdict.mjs}): each
 * call sends one file and waits for what {@code A.load} made of it, so thousands of files cost one
 * Node start. After a file that makes the WebAssembly module panic, the script carries on with a
 * fresh instance of the module when it can; when it cannot, or when a file takes longer than {@code
 * timeoutMillis}, the process ends and the next call starts a fresh one.
 *
 * <p>Not thread-safe: one caller at a time.
 */
final class JsLoader implements AutoCloseable {
  private static final String END = "\u0000end";

  private final long timeoutMillis;
  private @Nullable Process process;
  private @Nullable OutputStream requests;
  private @Nullable BlockingQueue<String> answers;

  JsLoader(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** What {@code A.load} does with a file. */
  record Verdict(
      Kind kind,
      @Nullable String error,
      @Nullable List<String> heads,
      @Nullable Object value,
      @Nullable String valueError) {
    enum Kind {
      ACCEPTED,
      REJECTED,
      /** Rejected by a panic inside the WebAssembly module. */
      PANICKED,
      /** No verdict: no answer in time. */
      TIMED_OUT,
      /** No verdict: the Node process died without answering (out of memory, for one). */
      DIED
    }

    boolean accepted() {
      return kind == Kind.ACCEPTED;
    }

    @Override
    public String toString() {
      return switch (kind) {
        case ACCEPTED -> "accepted, heads " + heads;
        case REJECTED -> "rejected: " + error;
        case PANICKED -> "panicked: " + error;
        case TIMED_OUT -> "timed out";
        case DIED -> "died: " + error;
      };
    }
  }

  /** {@code A.load(bytes)}, with the typed value when it loads. */
  Verdict load(byte[] bytes) {
    return ask('L', bytes);
  }

  /**
   * {@code A.load(bytes, {unchecked: true})}: the heads the file's changes really give, whatever
   * heads a document chunk stores; empty when JavaScript cannot load the file even so.
   */
  List<String> uncheckedHeads(byte[] bytes) {
    Verdict verdict = ask('U', bytes);
    List<String> heads = verdict.heads();
    return verdict.accepted() && heads != null ? heads : List.of();
  }

  private Verdict ask(char mode, byte[] bytes) {
    if (process == null) {
      start();
    }
    // start() set all three.
    Process running = Objects.requireNonNull(process);
    OutputStream requests = Objects.requireNonNull(this.requests);
    BlockingQueue<String> answers = Objects.requireNonNull(this.answers);
    try {
      requests.write(ByteBuffer.allocate(5).put((byte) mode).putInt(bytes.length).array());
      requests.write(bytes);
      requests.flush();
      String line = answers.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (line == null) {
        stop();
        return new Verdict(
            Verdict.Kind.TIMED_OUT, "no answer in " + timeoutMillis + " ms", null, null, null);
      }
      if (line.equals(END)) {
        Process dead = running;
        stop();
        return new Verdict(Verdict.Kind.DIED, "exit status " + dead.exitValue(), null, null, null);
      }
      Map<String, Object> answer = Json.object(Json.parse(line));
      Verdict verdict = parse(answer);
      if (verdict.kind() == Verdict.Kind.PANICKED && !Boolean.TRUE.equals(answer.get("renewed"))) {
        stop();
      }
      return verdict;
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException("writing to verdict.mjs", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new AssertionError("interrupted while waiting for verdict.mjs", e);
    }
  }

  private static Verdict parse(Map<String, Object> answer) {
    boolean panic = Boolean.TRUE.equals(answer.get("panic"));
    if (Boolean.TRUE.equals(answer.get("ok"))) {
      List<String> heads =
          Json.array(answer.get("heads")).stream().map(String.class::cast).toList();
      return new Verdict(
          Verdict.Kind.ACCEPTED,
          null,
          heads,
          answer.get("value"),
          panic ? "panic: " + answer.get("valueError") : (String) answer.get("valueError"));
    }
    return new Verdict(
        panic ? Verdict.Kind.PANICKED : Verdict.Kind.REJECTED,
        (String) answer.get("error"),
        null,
        null,
        null);
  }

  private void start() {
    Path interop = NodeScripts.interopDirectory();
    ProcessBuilder builder =
        new ProcessBuilder("node", "verdict.mjs")
            .directory(interop.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().remove("NODE_OPTIONS");
    try {
      process = builder.start();
    } catch (IOException e) {
      fail("cannot start `node` (is Node.js on the PATH?): " + e.getMessage());
      return;
    }
    requests = process.getOutputStream();
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    answers = queue;
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Thread pump =
        new Thread(
            () -> {
              try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  queue.add(line);
                }
              } catch (IOException e) {
                // The process went away; the end marker below tells the waiting caller.
              }
              queue.add(END);
            },
            "verdict.mjs stdout");
    pump.setDaemon(true);
    pump.start();
  }

  private void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    OutputStream requests = this.requests;
    if (process == null || requests == null) {
      return;
    }
    try {
      requests.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }
}
