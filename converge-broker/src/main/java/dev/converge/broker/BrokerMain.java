package dev.converge.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one process) listening on
 * 127.0.0.1 only: for development and tests, never for production, where nodes point at a real
 * cluster. Runs in a JVM of its own, on this module's class path.
 *
 * <p>Arguments: {@code --port P --data DIR [--controller-port C] [--exit-on-stdin-eof]}. The data
 * directory holds {@code server.properties}, {@code log4j2.properties}, {@code broker.log} and the
 * log segments under {@code data/}; it is formatted on first use (a fresh cluster ID) and reused
 * after, so a stopped broker restarts with its topics and records. Once the broker serves clients
 * it prints one line, {@value #READY_PREFIX}{@code 127.0.0.1:P}, on stdout. SIGTERM shuts it down
 * cleanly (a controlled shutdown, then exit). With {@code --exit-on-stdin-eof} it also exits when
 * its standard input closes: a parent that dies, even by SIGKILL, leaves no orphan broker behind.
 */
public final class BrokerMain {
  /** The start of the line printed once the broker is ready. */
  public static final String READY_PREFIX = "broker ready at ";

  private BrokerMain() {}

  /**
   * Starts the broker and returns once it serves clients; the JVM then lives until SIGTERM.
   *
   * @throws IOException if the data directory cannot be written
   */
  public static void main(String[] args) throws IOException {
    BrokerSettings settings = BrokerSettings.parse(args);
    Path dir = settings.dataDir().toAbsolutePath();
    Files.createDirectories(dir.resolve("data"));
    Path logConfig = dir.resolve("log4j2.properties");
    Files.writeString(logConfig, log4jConfig(dir.resolve("broker.log")), StandardCharsets.UTF_8);
    // Before the first Kafka class asks Log4j for a logger.
    System.setProperty("log4j2.configurationFile", logConfig.toString());
    int controllerPort =
        settings.controllerPort() > 0 ? settings.controllerPort() : freeLoopbackPort();
    Properties config = BrokerConfig.properties(settings.port(), controllerPort, dir);
    Path configFile = dir.resolve("server.properties");
    BrokerConfig.write(config, configFile);
    KafkaRunner runner = new KafkaRunner(config, configFile, dir.resolve("data"));
    runner.formatIfNew(System.err);
    Runtime.getRuntime().addShutdownHook(new Thread(runner::stop, "converge-broker-shutdown"));
    runner.start();
    PrintStream out = System.out;
    out.println(READY_PREFIX + "127.0.0.1:" + settings.port() + " (data " + dir + ")");
    out.flush();
    if (settings.exitOnStdinEof()) {
      Thread watchdog = new Thread(BrokerMain::exitAtStdinEof, "converge-broker-stdin-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
  }

  private static void exitAtStdinEof() {
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // The parent writes nothing; reading only waits for the end of the stream.
      }
    } catch (IOException e) {
      // A broken stdin means the same as its end: the parent is gone.
    }
    System.exit(0);
  }

  /** A port free on 127.0.0.1 now; another process may take it before the broker binds it. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String log4jConfig(Path logFile) {
    return String.join(
        "\n",
        "status = warn",
        "appender.file.type = File",
        "appender.file.name = FILE",
        "appender.file.fileName = " + logFile.toString().replace("\\", "/"),
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = FILE",
        "");
  }
}
