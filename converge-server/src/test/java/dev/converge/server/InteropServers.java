package dev.converge.server;

import java.nio.file.Path;

/**
 * The two sync servers the Java client interop ITs run each exchange through, both on 127.0.0.1 and
 * a free port, started before the exchange and stopped after it however it ends: {@code converge
 * serve} in this JVM over a data directory, and the JavaScript automerge-repo sync server in Node
 * ({@link NodeSyncServer}).
 */
final class InteropServers {
  private InteropServers() {}

  /** What a test does with a server at {@code ws://127.0.0.1:PORT/}. */
  @FunctionalInterface
  interface Exchange {
    void run(String ws) throws Exception;
  }

  /** Runs {@code exchange} through {@code converge serve} with its data in {@code data}. */
  static void throughConvergeServe(Path data, Exchange exchange) throws Exception {
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0))) {
      exchange.run("ws://127.0.0.1:" + server.port() + "/");
    }
  }

  /** Runs {@code exchange} through the JavaScript sync server. */
  static void throughJsSyncServer(Exchange exchange) throws Exception {
    try (NodeSyncServer js = NodeSyncServer.start()) {
      exchange.run(js.url());
    }
  }
}
