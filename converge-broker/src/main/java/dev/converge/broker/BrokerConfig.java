package dev.converge.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The broker's configuration: one node that is both broker and controller, every listener on
 * 127.0.0.1, and replication settings a single node can meet.
 */
final class BrokerConfig {
  private BrokerConfig() {}

  static Properties properties(int port, int controllerPort, Path dataDir) {
    Properties config = new Properties();
    config.setProperty("process.roles", "broker,controller");
    config.setProperty("node.id", "1");
    config.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    config.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    config.setProperty("controller.listener.names", "CONTROLLER");
    config.setProperty("inter.broker.listener.name", "PLAINTEXT");
    config.setProperty(
        "listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    config.setProperty("log.dirs", dataDir.resolve("data").toString());
    // One node: every internal topic must make do with one replica, or consumer groups and
    // transactions never get a coordinator.
    config.setProperty("offsets.topic.replication.factor", "1");
    config.setProperty("offsets.topic.num.partitions", "4");
    config.setProperty("transaction.state.log.replication.factor", "1");
    config.setProperty("transaction.state.log.min.isr", "1");
    config.setProperty("share.coordinator.state.topic.replication.factor", "1");
    config.setProperty("share.coordinator.state.topic.min.isr", "1");
    config.setProperty("group.initial.rebalance.delay.ms", "0");
    // Topics are created by the nodes with the settings they need (partitions, compaction).
    config.setProperty("auto.create.topics.enable", "false");
    // The cleaner's default 128 MiB buffer alone would not fit the small heap this broker gets.
    config.setProperty("log.cleaner.dedupe.buffer.size", "4194304");
    config.setProperty("num.network.threads", "2");
    config.setProperty("num.io.threads", "4");
    return config;
  }

  static void write(Properties config, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      config.store(out, "written by converge broker at every start");
    }
  }
}
