package dev.converge.bench.soak;

import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code converge serve} in its own JVM for {@link HostileSoak}, with default limits and a token
 * file: {@code SoakServerProcess DATA_DIR TOKEN_FILE}. Prints {@code {"url":...}}, answers each
 * stdin line {@code stats} with its heap figures, and when stdin closes shuts down gracefully
 * (flushing the store) and exits, leaving the data for the soak to check.
 */
public final class SoakServerProcess {
  private SoakServerProcess() {}

  public static void main(String[] args) throws Exception {
    ServerOptions options =
        ServerOptions.defaults(Path.of(args[0]), 0).withTokenFile(Path.of(args[1]));
    try (ConvergeServer server = ConvergeServer.start(options)) {
      System.out.println("{\"url\":\"ws://127.0.0.1:" + server.port() + "/\"}");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.strip().equals("stats")) {
          System.out.println(stats());
          System.out.flush();
        }
      }
    }
  }

  /**
   * Heap in use now (live data and garbage not yet collected), and in use after the last collection
   * of each heap pool (summed): the live data, which is what must stay bounded.
   */
  private static String stats() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long afterGc = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage collected = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP && collected != null) {
        afterGc += collected.getUsed();
      }
    }
    return String.format(
        Locale.ROOT,
        "{\"heapUsedBytes\":%d,\"heapAfterGcBytes\":%d,\"heapMaxBytes\":%d}",
        heap.getUsed(),
        afterGc,
        heap.getMax());
  }
}
