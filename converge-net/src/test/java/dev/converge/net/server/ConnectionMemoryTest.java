package dev.converge.net.server;

import static dev.converge.net.server.ServerTestDocuments.newId;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.TestClient;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-connection memory bound of the in-memory transport with a {@link SyncServer}: a client
 * that sends frames faster than the server handles them is closed with an error message once the
 * frames waiting for the server pass the bound, and a client beside it syncs throughout.
 *
 * <p>How "faster than the server handles them" is made without timing: the server's rate-limit
 * clock, read once per frame on the connection's own thread, blocks on a gate for the flooder's
 * thread only, so the flooder's frames pile up while every other connection runs.
 */
class ConnectionMemoryTest {
  private static final long INBOX_BYTES_MAX = 64 << 10;

  private final SplittableRandom random = new SplittableRandom(12);
  private final Repo repo = Repo.inMemory();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final AtomicBoolean gateArmed = new AtomicBoolean();
  private final SyncServer server =
      new SyncServer(
          DocumentStore.of(repo),
          SyncServerOptions.of("server", "st"),
          NetworkObserver.NONE,
          this::clock);

  private long clock() {
    if (gateArmed.get() && Thread.currentThread().getName().equals("in-memory-flooder")) {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new AssertionError("the gate was never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return System.nanoTime();
  }

  @AfterEach
  void stop() {
    gate.countDown();
    server.close();
    repo.close();
  }

  @Test
  void clientFloodingFrames_isClosedWithAnError_clientBesideItSyncs() throws Exception {
    TestClient flooder = TestClient.connectBounded(server, "flooder", INBOX_BYTES_MAX);
    flooder.join();
    TestClient bystander = TestClient.connect(server, "bystander");
    bystander.join();

    gateArmed.set(true);
    DocumentId topic = newId(random);
    // One CBOR byte string of 8 KiB, as ephemeral data must be one well-formed item.
    byte[] noise = new byte[3 + (8 << 10)];
    random.nextBytes(noise);
    noise[0] = 0x59;
    noise[1] = 0x20;
    noise[2] = 0x00;
    for (int i = 0; i < 64; i++) { // 512 KiB, eight times the bound
      flooder.send(
          new RepoMessage.Ephemeral(
              "flooder", "server", topic, Bytes.of(noise), i, "flood-session"));
    }

    // The flooder's connection is stuck; the bystander's is not.
    DocumentId id = newId(random);
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "k", "v"));
    bystander.share(id, doc);
    TestClient.await(
        () -> repo.find(id).map(h -> h.heads().equals(doc.heads())).orElse(false),
        "the server has the bystander's document while the flooder's frames wait");

    gate.countDown();
    ProtocolError error = (ProtocolError) flooder.next(m -> m instanceof ProtocolError);
    assertTrue(
        error.message().contains("more than its bound of " + INBOX_BYTES_MAX), error.message());
    assertTrue(flooder.awaitClosed(Duration.ofSeconds(10)), "the flooder was disconnected");

    doc.change(tx -> tx.put(ObjId.ROOT, "k", "w"));
    bystander.changed(id);
    TestClient.await(
        () -> repo.find(id).map(h -> h.heads().equals(doc.heads())).orElse(false),
        "the bystander still syncs");
    assertFalse(bystander.awaitClosed(Duration.ZERO), "the bystander is still connected");
  }
}
