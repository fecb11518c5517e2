package dev.converge.bench.net;

import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import dev.converge.server.SyncLag;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code converge serve} in its own JVM for {@link NetLoadBench}, so that its memory is its own:
 * prints {@code {"url":...}}, answers each stdin line {@code stats} with its sync lag, and stops
 * (deleting its data) when stdin closes — the same protocol as {@code
 * interop/repo/sync-server.mjs}.
 */
public final class ConvergeServerProcess {
  private ConvergeServerProcess() {}

  public static void main(String[] args) throws IOException {
    Path data = Files.createTempDirectory("converge-net-bench-");
    ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0));
    System.out.println("{\"url\":\"ws://127.0.0.1:" + server.port() + "/\"}");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.strip().equals("stats")) {
          SyncLag lag = server.syncLag();
          System.out.println(
              String.format(
                  Locale.ROOT,
                  "{\"syncLagCount\":%d,\"syncLagP50Ms\":%.3f,\"syncLagP99Ms\":%.3f,"
                      + "\"syncLagP999Ms\":%.3f,\"syncLagMaxMs\":%.3f}",
                  lag.count(),
                  lag.p50Millis(),
                  lag.p99Millis(),
                  lag.p999Millis(),
                  lag.maxMillis()));
          System.out.flush();
        }
      }
    } finally {
      server.close();
      try (Stream<Path> files = Files.walk(data)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
