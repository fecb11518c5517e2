package dev.converge.cluster;

import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A cluster node in a JVM of its own, for tests that kill one with SIGKILL. Arguments: data
 * directory, Kafka servers, cluster name, and optionally the port (0, any free one, if absent).
 * Prints {@code listening PORT} once it serves, and exits when its stdin closes (its parent died)
 * or it is killed.
 */
public final class ClusterNodeMain {
  private ClusterNodeMain() {}

  public static void main(String[] args) throws IOException {
    ClusterOptions options = ClusterOptions.of(args[1]).withClusterName(args[2]);
    ConvergeServer server =
        ConvergeServer.start(
            ServerOptions.defaults(
                Path.of(args[0]), args.length > 3 ? Integer.parseInt(args[3]) : 0),
            ClusterNode.join(options));
    System.out.println("listening " + server.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Waits for the end of stdin.
    }
    server.close();
    System.exit(0);
  }
}
