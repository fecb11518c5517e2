package dev.converge.cluster;

import dev.converge.broker.BrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The one Kafka broker (a child JVM) that every cluster test class of a test JVM shares: a broker
 * start costs 3 to 5 s, a new cluster name (new topics) a fraction of a second. Started by the
 * first class that asks, stopped when the test JVM exits.
 */
final class TestBroker {
  private static @Nullable BrokerProcess broker;

  private TestBroker() {}

  static synchronized BrokerProcess get() {
    BrokerProcess running = broker;
    if (running == null) {
      try {
        BrokerProcess started =
            BrokerProcess.start(
                Path.of("target", "kafka-cluster-it-" + ProcessHandle.current().pid()));
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                      } catch (IOException e) {
                        System.err.println("cannot stop the test broker: " + e);
                      }
                    }));
        broker = started;
        running = started;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return running;
  }
}
