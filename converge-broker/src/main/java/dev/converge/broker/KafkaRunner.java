package dev.converge.broker;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;

/**
 * Formats the data directory once, then runs Kafka's own KRaft server over it.
 *
 * <p>Thread-safety: {@link #start} from one thread; {@link #stop} from any (the shutdown hook).
 */
final class KafkaRunner {
  private final Properties config;
  private final Path configFile;
  private final Path logDir;
  private volatile @Nullable KafkaRaftServer server;

  KafkaRunner(Properties config, Path configFile, Path logDir) {
    this.config = config;
    this.configFile = configFile;
    this.logDir = logDir;
  }

  /** Formats the log directory with a fresh cluster ID, unless it was formatted before. */
  void formatIfNew(PrintStream out) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    String clusterId = Uuid.randomUuid().toString();
    StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()}, out);
  }

  /** Starts the server; returns once it serves clients. */
  void start() {
    KafkaRaftServer started =
        new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    server = started;
    started.startup();
  }

  /** A controlled shutdown; waits for it. */
  void stop() {
    KafkaRaftServer running = server;
    if (running != null) {
      running.shutdown();
      running.awaitShutdown();
    }
  }
}
