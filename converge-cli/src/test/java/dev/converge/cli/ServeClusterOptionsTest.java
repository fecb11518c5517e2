package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.cluster.ClusterOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The cluster options of {@code converge serve} reach the node's {@link ClusterOptions}. */
class ServeClusterOptionsTest {
  private static ServeCommand parsed(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void clusterOptions_snapshotIntervalGiven_reachesTheNode() {
    ClusterOptions options =
        parsed("--kafka", "127.0.0.1:9092", "--cluster", "c1", "--snapshot-interval-seconds", "5")
            .clusterOptions()
            .orElseThrow();
    assertEquals(Duration.ofSeconds(5), options.snapshotInterval());
    assertEquals("c1", options.clusterName());
    assertEquals("127.0.0.1:9092", options.bootstrapServers());
  }

  @Test
  void clusterOptions_noSnapshotInterval_isSixtySeconds() {
    assertEquals(
        Duration.ofSeconds(60),
        parsed("--kafka", "127.0.0.1:9092").clusterOptions().orElseThrow().snapshotInterval());
  }

  @Test
  void clusterOptions_snapshotIntervalZero_isAUsageError() {
    CommandLine.ParameterException e =
        assertThrows(
            CommandLine.ParameterException.class,
            () ->
                parsed("--kafka", "127.0.0.1:9092", "--snapshot-interval-seconds", "0")
                    .clusterOptions());
    assertEquals("--snapshot-interval-seconds must be at least 1, found 0", e.getMessage());
  }

  @Test
  void clusterOptions_withoutKafka_isEmpty() {
    assertTrue(parsed().clusterOptions().isEmpty());
  }
}
