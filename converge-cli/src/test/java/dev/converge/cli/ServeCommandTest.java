package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/");

  @Test
  void serve_listensOnLoopback_answersHealth_stopsCleanly(@TempDir Path data) throws Exception {
    ServeCommand command = new ServeCommand();
    StringWriter out = new StringWriter();
    CommandLine line = new CommandLine(command).setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> line.execute("--port", "0", "--data", data.resolve("server").toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Matcher matcher = LISTENING.matcher(out.toString());
    while (!matcher.find()) {
      assertTrue(System.nanoTime() < deadline, "no 'listening on' line: " + out);
      assertTrue(!exit.isDone(), "serve exited early: " + out);
      Thread.sleep(20);
      matcher = LISTENING.matcher(out.toString());
    }
    int port = Integer.parseInt(matcher.group(1));
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    command.stop.countDown();
    assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    assertTrue(Files.exists(data.resolve("server/converge.sqlite")));
  }

  @Test
  void serve_withTokenFile_refusesUpgradesWithoutAToken(@TempDir Path data) throws Exception {
    Path tokens = data.resolve("tokens");
    Files.writeString(tokens, "token alice alice-secret-0123456789\n");
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
                    "--token-file",
                    tokens.toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Matcher matcher = LISTENING.matcher(out.toString());
    while (!matcher.find()) {
      assertTrue(System.nanoTime() < deadline, "no 'listening on' line: " + out);
      assertTrue(!exit.isDone(), "serve exited early: " + out);
      Thread.sleep(20);
      matcher = LISTENING.matcher(out.toString());
    }
    URI ws = URI.create("ws://127.0.0.1:" + matcher.group(1) + "/");
    HttpClient http = HttpClient.newHttpClient();
    java.util.concurrent.ExecutionException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class,
            () ->
                http.newWebSocketBuilder()
                    .buildAsync(ws, new java.net.http.WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS));
    assertEquals(
        401,
        org.junit.jupiter.api.Assertions.assertInstanceOf(
                java.net.http.WebSocketHandshakeException.class, refused.getCause())
            .getResponse()
            .statusCode());
    http.newWebSocketBuilder()
        .header("Authorization", "Bearer alice-secret-0123456789")
        .buildAsync(ws, new java.net.http.WebSocket.Listener() {})
        .get(10, TimeUnit.SECONDS)
        .abort();
    command.stop.countDown();
    assertEquals(0, exit.get(20, TimeUnit.SECONDS));
  }

  @Test
  void serve_withMalformedTokenFile_failsNamingTheLine(@TempDir Path data) throws Exception {
    Path tokens = data.resolve("tokens");
    Files.writeString(tokens, "token alice\n");
    StringWriter err = new StringWriter();
    CommandLine line =
        new CommandLine(new ServeCommand())
            .setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler(new ConvergeExceptionHandler());
    int code =
        line.execute(
            "--port",
            "0",
            "--data",
            data.resolve("server").toString(),
            "--token-file",
            tokens.toString());
    assertTrue(code != 0, "exit " + code);
    assertTrue(err.toString().contains("tokens:1: expected 'token NAME SECRET'"), err.toString());
  }
}
