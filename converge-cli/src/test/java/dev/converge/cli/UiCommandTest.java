package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code converge ui}: prints its URL on one line, serves the inspector of the repository on
 * loopback, stops cleanly; a missing repository is invalid input (1), a port out of range a usage
 * error (2).
 */
class UiCommandTest {
  private static final Pattern URL = Pattern.compile("^http://127\\.0\\.0\\.1:(\\d+)/$");

  @Test
  void ui_printsItsUrl_servesTheRepository_stopsCleanly(@TempDir Path dir) throws Exception {
    String id;
    try (Repo repo = Repo.open(dir)) {
      DocHandle doc = repo.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "title", "hello"));
      doc.whenDurable().join();
      id = doc.id().toString();
    }
    UiCommand command = new UiCommand();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line =
        new CommandLine(command)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> line.execute(dir.toString(), "--port", "0"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!out.toString().endsWith("\n")) {
      assertTrue(System.nanoTime() < deadline, "no URL line: " + out);
      assertTrue(!exit.isDone(), () -> "ui exited early: " + out + err + " exit " + exit.join());
      Thread.sleep(20);
    }
    Matcher matcher = URL.matcher(out.toString().strip());
    assertTrue(matcher.matches(), out.toString());
    HttpResponse<String> documents =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(out.toString().strip() + "api/documents"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, documents.statusCode());
    assertTrue(documents.body().contains(id), documents.body());
    command.stop.countDown();
    assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    // The lock is released: the repository opens again.
    Repo.open(dir).close();
  }

  @Test
  void ui_missingRepository_isInvalidInput(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    int code =
        ConvergeCommand.newCommandLine()
            .setErr(new PrintWriter(err, true))
            .execute("ui", dir.resolve("none").toString(), "--port", "0");
    assertEquals(1, code, err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }

  @Test
  void ui_portOutOfRange_isUsageError(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    int code =
        ConvergeCommand.newCommandLine()
            .setErr(new PrintWriter(err, true))
            .execute("ui", dir.toString(), "--port", "70000");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("--port must be 0 to 65535, found 70000"), err.toString());
  }
}
