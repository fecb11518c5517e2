package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code converge bench-sealed} on a handmade trace: one JSON line with both catch-ups and both
 * sealing rates; the figures themselves are not asserted (benchmarks are not timed tests).
 */
class BenchSealedCommandTest {
  @TempDir Path directory;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ConvergeCommand.newCommandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void benchSealed_handmadeTrace_printsOneJsonLine() throws IOException {
    Path file = directory.resolve("handmade.json");
    Files.writeString(
        file,
        "{\"startContent\":\"\",\"endContent\":\"hi there\",\"txns\":["
            + "{\"time\":\"t\",\"patches\":[[0,0,\"hello\"]]},"
            + "{\"time\":\"t\",\"patches\":[[0,5,\"hi\"],[2,0,\" there\"]]}]}",
        StandardCharsets.UTF_8);
    assertEquals(0, run("bench-sealed", file.toString(), "--seal-changes", "100"), err.toString());
    java.util.List<String> lines = out.toString().lines().toList();
    assertEquals(1, lines.size(), out.toString());
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    assertEquals("handmade", json.get("trace").asText());
    assertEquals(3, json.get("changes").asInt()); // the setup change and two txns
    assertEquals(100, json.get("seal_changes").asInt());
    for (String key :
        new String[] {
          "plain_heads_ms",
          "plain_durable_ms",
          "plain_bytes",
          "sealed_heads_ms",
          "sealed_durable_ms",
          "sealed_bytes",
          "heads_ratio",
          "durable_ratio",
          "bytes_ratio",
          "seal_each_per_s",
          "seal_each_cpu_per_s",
          "seal_runs_of_64_per_s",
          "seal_runs_of_64_cpu_per_s",
          "device_runs_of_64_per_s",
          "device_runs_of_64_cpu_per_s"
        }) {
      assertTrue(json.get(key).asDouble() > 0, key + " in " + lines.get(0));
    }
  }

  @Test
  void benchSealed_sealChangesZero_usageError() {
    assertEquals(
        2, run("bench-sealed", directory.resolve("x.json").toString(), "--seal-changes", "0"));
  }
}
