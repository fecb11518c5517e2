package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.net.client.SyncClient;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.SealedLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention ({@code --retain-days}) on a real server whose clock the test moves: no waiting. A
 * client syncs two documents; one is used again 20 days later, the other never; 31 days after the
 * start a sweep purges the unused one through the purge path (its canary, found in the data
 * directory before, is in no file after; a client syncing it again is refused) and keeps the other,
 * and {@code /metrics} counts the purge and the documents by age.
 */
class RetentionTest {
  private static final String CANARY = "zqretention3131";

  @TempDir Path root;

  /** A clock the test moves by hand. */
  private static final class MovableClock implements InstantSource {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void sweep_documentUnusedForRetainDays_purgedOthersKeptAndCounted() throws Exception {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Path data = root.resolve("server");
    try (ConvergeServer server =
            ConvergeServer.start(ServerOptions.defaults(data, 0).withRetainDays(30), clock);
        Repo client = Repo.open(root.resolve("client"))) {
      DocHandle unused = client.create();
      unused.change(tx -> tx.put(ObjId.ROOT, "secret", CANARY));
      DocHandle used = client.create();
      used.change(tx -> tx.put(ObjId.ROOT, "n", 1));
      sync(server, unused, used);
      server.repo().flush();
      assertFalse(filesHolding(data, CANARY).isEmpty(), "the canary must be found before");

      clock.advance(Duration.ofDays(20));
      used.change(tx -> tx.put(ObjId.ROOT, "n", 2));
      sync(server, used);
      clock.advance(Duration.ofDays(11));
      server.housekeeping();

      assertTrue(server.repo().isPurged(unused.id()));
      assertFalse(server.repo().isPurged(used.id()));
      assertEquals(List.of(), filesHolding(data, CANARY));
      String metrics = metrics(server);
      assertTrue(metrics.contains("converge_documents_retained_purged_total 1.0"), metrics);
      assertTrue(metrics.contains("converge_documents_by_age{age=\"7d-to-30d\"} 1.0"), metrics);
      assertTrue(metrics.contains("converge_documents_by_age{age=\"under-1d\"} 0.0"), metrics);
      try (SyncClient again = connect(server)) {
        assertFalse(again.sync(unused).inSync(), "a purged document is refused afterwards");
      }
    }
  }

  @Test
  void sweep_noRetainDays_purgesNothingAndCountsAges() throws Exception {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (ConvergeServer server =
            ConvergeServer.start(ServerOptions.defaults(root.resolve("server"), 0), clock);
        Repo client = Repo.open(root.resolve("client"))) {
      DocHandle document = client.create();
      document.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      sync(server, document);

      clock.advance(Duration.ofDays(400));
      server.housekeeping();

      assertFalse(server.repo().isPurged(document.id()));
      assertTrue(
          metrics(server).contains("converge_documents_by_age{age=\"365d-or-more\"} 1.0"),
          metrics(server));
    }
  }

  @Test
  void bucket_boundaries_dayCounts() {
    long day = Retention.DAY_MILLIS;
    assertEquals("under-1d", Retention.bucket(0));
    assertEquals("under-1d", Retention.bucket(day - 1));
    assertEquals("1d-to-7d", Retention.bucket(day));
    assertEquals("7d-to-30d", Retention.bucket(7 * day));
    assertEquals("30d-to-365d", Retention.bucket(30 * day));
    assertEquals("365d-or-more", Retention.bucket(365 * day));
  }

  private static SyncClient connect(ConvergeServer server) {
    return SyncClient.connect(
        new WebSocketDialer(
            URI.create("ws://127.0.0.1:" + server.port() + "/"), WebSocketDialerOptions.DEFAULT),
        Duration.ofSeconds(30),
        SealedLimits.DEFAULT,
        new SplittableRandom(7));
  }

  private static void sync(ConvergeServer server, DocHandle... handles) {
    try (SyncClient client = connect(server)) {
      for (DocHandle handle : handles) {
        assertTrue(client.sync(handle).inSync(), handle.id().toString());
      }
    }
    server.repo().flush();
  }

  private static String metrics(ConvergeServer server) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static List<String> filesHolding(Path root, String canary) throws IOException {
    String needle =
        new String(canary.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (text.contains(needle)) {
          holding.add(root.relativize(file).toString());
        }
      }
    }
    return holding;
  }
}
