package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.core.ScalarValue;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, fan-out beyond the heap: the per-connection bounds alone let one writer fan 512 KiB
 * ephemeral messages out to a dozen readers that never read until the heap was gone. Here the
 * server's budget across connections ({@link MemoryBudget}) is small, readers that never read are
 * hand-written sockets with a 4 KiB receive buffer ({@link RawWebSocket}), and the figures come
 * from {@code /metrics}: what all connections held at most, what was dropped, who was evicted.
 * Waits are bounded; nothing asserts a duration.
 */
class ServerMemoryBudgetTest {
  private static final MessageCodec CODEC = new MessageCodec();
  private static final int FRAME_BYTES_MAX = 1 << 20;
  private static final long BUDGET_BYTES = 8L << 20;

  @TempDir Path data;
  private @org.jspecify.annotations.Nullable ConvergeServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    ConvergeServer running = server;
    if (running != null) {
      running.close();
    }
  }

  private ConvergeServer start(long budgetBytes) {
    ConvergeServer started =
        ConvergeServer.start(
            ServerOptions.defaults(data, 0)
                .withFrameBytesMax(FRAME_BYTES_MAX)
                .withLimits(ServerLimits.defaults().withBufferedBytesMax(budgetBytes)));
    server = started;
    return started;
  }

  private String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + java.util.Objects.requireNonNull(server).port()
                            + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private double metric(String line) throws Exception {
    for (String text : metrics().lines().toList()) {
      if (text.startsWith(line + " ")) {
        return Double.parseDouble(text.substring(line.length() + 1));
      }
    }
    throw new AssertionError("no " + line + " in /metrics");
  }

  /** One CBOR byte string of {@code length} bytes: a valid, large ephemeral payload. */
  private static Bytes cborBytes(int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 5);
    out.write(0x5a);
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write(length >>> shift);
    }
    out.writeBytes(new byte[length]);
    return Bytes.of(out.toByteArray());
  }

  private static byte[] join(String peer) {
    return CODEC.encode(new RepoMessage.Join(peer, PeerMetadata.ephemeral(), List.of("1")));
  }

  private static byte[] request(String peer, DocumentId id) {
    return CODEC.encode(
        new RepoMessage.Request(peer, "server", id, Bytes.fromHex("42000001000000020284")));
  }

  @Test
  void ephemeralFanOutToReadersThatNeverRead_staysWithinTheBudget_readingClientGetsSome()
      throws Exception {
    ConvergeServer started = start(BUDGET_BYTES);
    DocHandle room = started.repo().create();
    room.change(tx -> tx.put(ObjId.ROOT, "room", "lobby"));
    List<RawWebSocket> readers = new ArrayList<>();
    try (WsClient writer = new WsClient(http, started.port());
        WsClient reading = new WsClient(http, started.port())) {
      for (int i = 0; i < 8; i++) {
        RawWebSocket reader = new RawWebSocket(started.port(), "/");
        readers.add(reader);
        reader.send(join("reader-" + i));
        reader.send(request("reader-" + i, room.id()));
      }
      reading.join("reading");
      reading.send(request("reading", room.id()));
      reading.next(RepoMessage.Sync.class);
      writer.join("writer");
      writer.send(request("writer", room.id()));
      writer.next(RepoMessage.Sync.class);

      Bytes payload = cborBytes(512 << 10);
      for (int count = 1; count <= 200; count++) {
        writer.send(new Ephemeral("writer", "server", room.id(), payload, count, "session-w"));
      }
      // Handled in order: once this is answered, every ephemeral message before it was relayed
      // or dropped.
      writer.send(request("writer", DocumentId.of(new byte[16])));
      assertInstanceOf(DocUnavailable.class, writer.next(DocUnavailable.class));

      Ephemeral first = reading.next(Ephemeral.class);
      assertEquals("writer", first.senderId(), "a client that reads still gets presence");
      double peak = metric("converge_buffered_peak_bytes");
      assertTrue(
          peak <= BUDGET_BYTES + FRAME_BYTES_MAX,
          "all connections held at most " + peak + " bytes, budget " + BUDGET_BYTES);
      assertTrue(
          metric("converge_messages_dropped_total{type=\"ephemeral\"}") > 0,
          "presence for readers that do not read was dropped, not queued");
    } finally {
      for (RawWebSocket reader : readers) {
        reader.close();
      }
    }
  }

  @Test
  void syncFanOutPastTheBudget_disconnectsTheLargestHolder_otherClientSyncs() throws Exception {
    ConvergeServer started = start(4L << 20);
    SplittableRandom random = new SplittableRandom(16);
    List<DocumentId> ids = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      byte[] blob = new byte[256 << 10];
      random.nextBytes(blob);
      DocHandle handle = started.repo().create();
      handle.change(tx -> tx.put(ObjId.ROOT, "blob", ScalarValue.Bytes.of(blob)));
      ids.add(handle.id());
    }
    URI uri = URI.create("ws://127.0.0.1:" + started.port() + "/");
    try (Repo repo = Repo.inMemory();
        RepoPeer polite =
            new RepoPeer(repo, RepoPeerOptions.of("polite", new SplittableRandom(17)));
        RawWebSocket hoarder = new RawWebSocket(started.port(), "/")) {
      polite.connect(new WebSocketDialer(uri, WebSocketDialerOptions.DEFAULT));
      hoarder.send(join("hoarder"));
      for (DocumentId id : ids) {
        hoarder.send(request("hoarder", id));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (metric("converge_connections_evicted_total") < 1) {
        assertTrue(System.nanoTime() < deadline, "the hoarder, which reads nothing, is evicted");
        Thread.sleep(20);
      }
      long received = hoarder.drain(); // what reached its socket before the server hung up
      assertTrue(received < 32L * (256 << 10), "the hoarder got " + received + " bytes");
      assertEquals(1.0, metric("converge_connections_evicted_total"), "only the hoarder");
      DocHandle found = polite.find(ids.get(31)).get(30, TimeUnit.SECONDS);
      assertEquals(started.repo().find(ids.get(31)).orElseThrow().heads(), found.heads());
      assertTrue(metric("converge_buffered_peak_bytes") <= (4L << 20) + FRAME_BYTES_MAX);
    }
  }
}
