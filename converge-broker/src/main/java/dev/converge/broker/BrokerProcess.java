package dev.converge.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A {@link BrokerMain} running in a child JVM, for tests and benchmarks: started on a free loopback
 * port, ready when this returns, stopped by SIGTERM. The child exits by itself when this JVM dies
 * (it watches its stdin), so a killed test run leaves no broker behind.
 *
 * <p>The child gets a small heap and the serial collector, as a single-node test broker needs
 * (about 200 MiB resident); it logs to {@code broker.log} in its data directory, which it keeps
 * across {@link #restart} and which {@link #close} deletes.
 *
 * <p>Thread-safety: not thread-safe; one test thread drives it.
 */
public final class BrokerProcess implements AutoCloseable {
  private static final long READY_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 30;
  private static final int START_ATTEMPTS = 3;

  private final Path dataDir;
  private final String classPath;
  private final int port;
  private Process process;

  private BrokerProcess(Path dataDir, String classPath, int port, Process process) {
    this.dataDir = dataDir;
    this.classPath = classPath;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts a broker on a free port with a fresh data directory {@code dataDir} (deleted first: a
   * killed run may have left one), on this JVM's class path.
   *
   * @throws IOException if the broker does not become ready within 60 s
   */
  public static BrokerProcess start(Path dataDir) throws IOException {
    return start(dataDir, System.getProperty("java.class.path"));
  }

  /**
   * Starts a broker as {@link #start(Path)} does, on {@code classPath}.
   *
   * @throws IOException if the broker does not become ready within 60 s
   */
  public static BrokerProcess start(Path dataDir, String classPath) throws IOException {
    deleteRecursively(dataDir);
    IOException last = null;
    // A free port found now may be taken before the broker binds it: try again with another.
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = BrokerMain.freeLoopbackPort();
      try {
        return new BrokerProcess(dataDir, classPath, port, launch(dataDir, classPath, port));
      } catch (IOException e) {
        last = e;
        deleteRecursively(dataDir);
      }
    }
    throw new IOException("the broker did not start in " + START_ATTEMPTS + " attempts", last);
  }

  /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The child JVM's process ID. */
  public long pid() {
    return process.pid();
  }

  /**
   * Stops the broker with SIGTERM (SIGKILL if {@code kill}) and starts it again on the same port
   * and data directory: its topics and acknowledged records are still there.
   *
   * @throws IOException if it does not become ready again within 60 s
   */
  public void restart(boolean kill) throws IOException {
    stop(kill);
    relaunch();
  }

  /**
   * Starts a stopped broker again on the same port and data directory.
   *
   * @throws IOException if it does not become ready within 60 s
   */
  public void relaunch() throws IOException {
    process = launch(dataDir, classPath, port);
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and deletes its data directory. */
  @Override
  public void close() throws IOException {
    stop(false);
    deleteRecursively(dataDir);
  }

  /**
   * Stops the broker with SIGTERM (a controlled shutdown) or SIGKILL, keeping its data.
   *
   * @throws IOException if interrupted while waiting for it to exit
   */
  public void stop(boolean kill) throws IOException {
    if (kill) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while stopping the broker", e);
    }
  }

  private static Process launch(Path dataDir, String classPath, int port) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath));
    command.add(BrokerMain.class.getName());
    command.addAll(
        List.of(
            "--port", Integer.toString(port), "--data", dataDir.toString(), "--exit-on-stdin-eof"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> drain(process, ready), "broker-output-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return process;
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("the broker on port " + port + " was not ready: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while starting the broker", e);
    }
  }

  /**
   * Reads the child's output to its end (so it never blocks on a full pipe), watching for ready.
   */
  private static void drain(Process process, CompletableFuture<String> ready) {
    StringBuilder early = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(BrokerMain.READY_PREFIX)) {
          ready.complete(line);
        } else if (!ready.isDone() && early.length() < 8192) {
          early.append(line).append('\n');
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.completeExceptionally(new IOException("the broker exited before ready:\n" + early));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
