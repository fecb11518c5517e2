package dev.converge.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.repo.DocumentId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The soak's side of {@link GoodClientsProcess}: starts it, tells it to go and to stop. */
final class GoodClientsChild implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the good clients measured: every latency, every change made, what never arrived. */
  record Result(long edits, List<Long> latenciesNanos, List<String> made, long undelivered) {
    Result {
      latenciesNanos = List.copyOf(latenciesNanos);
      made = List.copyOf(made);
    }
  }

  /** Where the clients connect, who they are, how often they edit, and where their log goes. */
  record Launch(
      String url,
      String aliceToken,
      String bobToken,
      String alicePeerId,
      DocumentId document,
      int editsPerSecond,
      String heap,
      Path log) {}

  private final Process process;
  private final BufferedReader out;
  private final OutputStream in;

  GoodClientsChild(Launch launch) throws IOException {
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + launch.heap(),
                "-cp",
                System.getProperty("java.class.path"),
                GoodClientsProcess.class.getName(),
                launch.url(),
                launch.aliceToken(),
                launch.bobToken(),
                launch.alicePeerId(),
                launch.document().toString(),
                Integer.toString(launch.editsPerSecond()))
            .redirectError(launch.log().toFile())
            .start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = process.getOutputStream();
    String ready = out.readLine();
    if (ready == null || !JSON.readTree(ready).path("ready").asBoolean()) {
      process.destroyForcibly();
      throw new IOException("the good clients did not connect; see " + launch.log());
    }
  }

  /** The clients start editing. */
  void go() throws IOException {
    send("go");
  }

  /** The clients stop editing, wait up to 60 s for delivery and report. */
  Result stop() throws IOException, InterruptedException {
    send("stop");
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the good clients exited without a report");
    }
    JsonNode report = JSON.readTree(line);
    List<Long> latencies = new ArrayList<>();
    report.path("latencies_nanos").forEach(node -> latencies.add(node.asLong()));
    List<String> made = new ArrayList<>();
    report.path("made").forEach(node -> made.add(node.asText()));
    process.waitFor(30, TimeUnit.SECONDS);
    return new Result(
        report.path("edits").asLong(), latencies, made, report.path("undelivered").asLong());
  }

  private void send(String command) throws IOException {
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
