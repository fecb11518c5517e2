package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The limit options of {@code converge serve} (issue 16) reach the server: the bound on what all
 * connections hold shows in {@code /metrics}, and a WebSocket that never joins is closed after
 * {@code --join-timeout-ms}; {@code --retain-days} starts the server with retention (its counter is
 * served).
 */
class ServeLimitOptionsTest {
  private static final Pattern LISTENING =
      Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/");

  @Test
  void serve_limitOptions_reachTheServer(@TempDir Path data) throws Exception {
    ServeCommand command = new ServeCommand();
    StringWriter out = new StringWriter();
    CommandLine line = new CommandLine(command).setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                line.execute(
                    "--port",
                    "0",
                    "--data",
                    data.resolve("server").toString(),
                    "--max-buffered-bytes",
                    "12345678",
                    "--max-connections-per-address",
                    "16",
                    "--upgrade-timeout-ms",
                    "5000",
                    "--join-timeout-ms",
                    "300",
                    "--retain-days",
                    "30"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Matcher matcher = LISTENING.matcher(out.toString());
    while (!matcher.find()) {
      assertTrue(System.nanoTime() < deadline, "no 'listening on' line: " + out);
      assertTrue(!exit.isDone(), "serve exited early: " + out);
      Thread.sleep(20);
      matcher = LISTENING.matcher(out.toString());
    }
    String port = matcher.group(1);
    HttpClient http = HttpClient.newHttpClient();
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertTrue(metrics.contains("converge_buffered_max_bytes 1.2345678E7"), metrics);
    assertTrue(metrics.contains("converge_documents_retained_purged_total 0.0"), metrics);

    CountDownLatch closed = new CountDownLatch(1);
    WebSocket silent =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                    closed.countDown();
                    return CompletableFuture.completedFuture(null);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertTrue(closed.await(30, TimeUnit.SECONDS), "closed for not joining");
    silent.abort();
    command.stop.countDown();
    assertEquals(0, exit.get(20, TimeUnit.SECONDS));
  }
}
