package dev.converge.net.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.TestClient;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncServer} against hostile peers over the in-memory network (issue 16): the join timeout
 * on a clock the test moves by hand, peer IDs bound to the principal that joined with them, and
 * metric labels that a peer cannot choose.
 */
class SyncServerHostileTest {
  private static final Bytes EMPTY_REQUEST = Bytes.fromHex("42000001000000020284");

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final Repo repo = Repo.inMemory();
  private final SyncServer server =
      new SyncServer(
          DocumentStore.of(repo),
          SyncServerOptions.of("server", "st"),
          new NetworkObserver() {
            @Override
            public void messageReceived(String type, int frameBytes) {
              received.add(type);
            }

            @Override
            public void protocolError(String kind) {
              errors.add(kind);
            }
          },
          clock::get);

  @AfterEach
  void stop() {
    server.close();
    repo.close();
  }

  private static RepoMessage.Request request(String peer) {
    return new RepoMessage.Request(peer, "server", DocumentId.of(new byte[16]), EMPTY_REQUEST);
  }

  @Test
  void closeUnjoined_closesOnlyConnectionsOlderThanTheTimeoutThatNeverJoined() throws Exception {
    TestClient silent = TestClient.connect(server, "silent");
    TestClient joined = TestClient.connect(server, "joined");
    joined.join();
    Duration timeout = Duration.ofSeconds(10);

    clock.addAndGet(timeout.toNanos() - 1);
    assertEquals(0, server.closeUnjoined(timeout));
    clock.addAndGet(1);
    assertEquals(1, server.closeUnjoined(timeout));

    ProtocolError error = (ProtocolError) silent.next(m -> m instanceof ProtocolError);
    assertEquals("no join within 10000 ms of connecting", error.message());
    assertTrue(silent.awaitClosed(Duration.ofSeconds(10)));
    assertEquals(List.of("join-timeout"), errors);
    joined.send(request("joined"));
    joined.next(m -> m instanceof DocUnavailable);
  }

  @Test
  void join_withAPeerIdHeldByAnotherPrincipal_isRefused_samePrincipalReplaces() throws Exception {
    TestClient alice = TestClient.connectAs(server, "laptop", "alice");
    alice.join();
    TestClient mallory = TestClient.connectAs(server, "laptop", "mallory");
    mallory.send(new RepoMessage.Join("laptop", PeerMetadata.ephemeral(), List.of("1")));
    ProtocolError refused = (ProtocolError) mallory.next(m -> m instanceof ProtocolError);
    assertEquals("peer ID belongs to another user", refused.message());
    assertTrue(mallory.awaitClosed(Duration.ofSeconds(10)));
    assertFalse(mallory.log().stream().anyMatch(m -> m instanceof RepoMessage.Peer));

    alice.send(request("laptop"));
    alice.next(m -> m instanceof DocUnavailable);

    TestClient again = TestClient.connectAs(server, "laptop", "alice");
    again.join();
    assertTrue(alice.awaitClosed(Duration.ofSeconds(10)), "the same user's older connection");
    assertEquals(List.of("peer-id-taken"), errors);
  }

  @Test
  void messageOfAnUnknownType_isReportedAsOther() throws Exception {
    TestClient client = TestClient.connect(server, "client");
    client.join();
    client.sendRaw(
        new ObjectMapper(new CBORFactory())
            .writeValueAsBytes(
                Map.of("type", "x".repeat(1000), "senderId", "client", "targetId", "server")));
    client.send(request("client"));
    client.next(m -> m instanceof DocUnavailable);
    assertEquals(List.of("join", "other", "request"), received);
  }
}
