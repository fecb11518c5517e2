package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.net.client.SyncClient;
import dev.converge.net.spi.Connection;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.net.spi.Dialer;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.EnvelopeRejectedException;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.ShareLink;
import dev.converge.repo.sealed.SyncReport;
import dev.converge.repo.sealed.relay.Relay;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed documents through a real {@code converge serve} (issue 17): devices, each a repository
 * directory with its sealed state, sync through {@link SyncClient} over WebSocket to a {@link
 * ConvergeServer} on 127.0.0.1; the relay's envelopes live in the server's data directory.
 *
 * <p>The canary: every file of the server's data directory (SQLite files and WALs) and every frame
 * either way is searched for a string written into a sealed document; the same string in a
 * plaintext document synced through the same server is found in both, so the search can fail. Seeds
 * are fixed, so a run replays; no assertion depends on time.
 */
class SealedServeIT {
  private static final String CANARY = "canary-51c0ffee-sealed-through-serve";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path data;
  @TempDir Path aliceDir;
  @TempDir Path bobDir;
  @TempDir Path carolDir;

  @Test
  void twoDevices_throughServe_converge_andRemovedMemberCannotReadLaterChanges() {
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0));
        Device alice = new Device(aliceDir, 1);
        Device bob = new Device(bobDir, 2);
        Device carol = new Device(carolDir, 3)) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      assertInSync(alice.sync(ws, id, new Frames()));
      bob.sealed.join(link);
      carol.sealed.join(link);
      assertInSync(bob.sync(ws, id, new Frames()));
      assertInSync(carol.sync(ws, id, new Frames()));
      assertEquals("{\"title\":\"plans\"}", bob.json(id));
      bob.put(id, "by", "bob");
      assertInSync(bob.sync(ws, id, new Frames()));
      assertInSync(alice.sync(ws, id, new Frames()));
      assertEquals(bob.json(id), alice.json(id));

      alice.sealed.removeMember(id, bob.sealed.deviceKey());
      assertInSync(alice.sync(ws, id, new Frames()));
      alice.put(id, "after", "removal");
      assertInSync(alice.sync(ws, id, new Frames()));
      assertInSync(carol.sync(ws, id, new Frames()));
      assertTrue(carol.json(id).contains("removal"), carol.json(id));
      SyncReport removed = bob.sync(ws, id, new Frames());
      assertFalse(removed.inSync());
      assertFalse(bob.json(id).contains("removal"), bob.json(id));
      assertTrue(
          removed.rejected().stream()
              .anyMatch(
                  e ->
                      e instanceof EnvelopeRejectedException r
                          && r.reason() == EnvelopeRejectedException.Reason.NO_KEY),
          removed.rejected().toString());
      bob.put(id, "late", "write");
      SyncReport refused = bob.sync(ws, id, new Frames());
      assertFalse(refused.inSync(), refused.toString());
      assertInSync(alice.sync(ws, id, new Frames()));
      assertFalse(alice.json(id).contains("late"), "the relay refused the removed member's write");
    }
  }

  @Test
  void canary_inSealedDocument_neverInServerFilesNorFrames_butPlaintextIs() throws Exception {
    Frames sealedFrames = new Frames();
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0));
        Device alice = new Device(aliceDir, 11);
        Device bob = new Device(bobDir, 12)) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      ShareLink link = alice.create("note", CANARY);
      DocumentId id = link.documentId();
      assertInSync(alice.sync(ws, id, sealedFrames));
      alice.put(id, "again", CANARY + " later");
      assertInSync(alice.sync(ws, id, sealedFrames));
      bob.sealed.join(link);
      assertInSync(bob.sync(ws, id, sealedFrames));
      assertTrue(bob.json(id).contains(CANARY), bob.json(id));
      assertTrue(sealedFrames.count() > 0);
      assertFalse(sealedFrames.contain(CANARY), "a frame of a sealed sync holds the canary");
      assertTrue(Files.exists(data.resolve(Relay.fileName())));
      assertEquals(List.of(), filesHolding(data, CANARY));

      Frames plainFrames = new Frames();
      DocHandle plain = alice.repo.create();
      plain.change(tx -> tx.put(ObjId.ROOT, "note", CANARY));
      try (SyncClient client = alice.connect(ws, plainFrames)) {
        assertTrue(client.sync(plain).inSync());
      }
      assertTrue(plainFrames.contain(CANARY), "the frame scan finds a plaintext canary");
      server.repo().flush();
      assertFalse(filesHolding(data, CANARY).isEmpty(), "the file scan finds a plaintext canary");
    }
    List<Path> afterClose = filesHolding(data, CANARY);
    assertFalse(afterClose.contains(data.resolve(Relay.fileName())), afterClose.toString());
  }

  @Test
  void envelopeTamperedInServerStore_readerRefusesIt_andKeepsTheRest() throws SQLException {
    ShareLink link;
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0));
        Device alice = new Device(aliceDir, 21)) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      link = alice.create("title", "plans");
      assertInSync(alice.sync(ws, link.documentId(), new Frames()));
      alice.put(link.documentId(), "later", "secret");
      assertInSync(alice.sync(ws, link.documentId(), new Frames()));
    }
    try (java.sql.Connection sql =
            DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Relay.fileName()));
        PreparedStatement select =
            sql.prepareStatement("SELECT bytes FROM envelopes WHERE seq = 2");
        ResultSet rows = select.executeQuery()) {
      assertTrue(rows.next());
      byte[] bytes = rows.getBytes(1);
      bytes[bytes.length - 80] ^= 1; // inside the ciphertext
      try (PreparedStatement update =
          sql.prepareStatement("UPDATE envelopes SET bytes = ? WHERE seq = 2")) {
        update.setBytes(1, bytes);
        assertEquals(1, update.executeUpdate());
      }
    }
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0));
        Device bob = new Device(bobDir, 22)) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      bob.sealed.join(link);
      SyncReport report = bob.sync(ws, link.documentId(), new Frames());
      assertFalse(report.inSync());
      assertFalse(report.rejected().isEmpty());
      assertTrue(report.rejected().get(0) instanceof EnvelopeRejectedException, report.toString());
      assertEquals("{\"title\":\"plans\"}", bob.json(link.documentId()));
    }
  }

  private static void assertInSync(SyncReport report) {
    assertTrue(report.inSync(), report.toString());
  }

  /** A device: a repository directory with its sealed state, seeded randomness. */
  private static final class Device implements AutoCloseable {
    final Repo repo;
    final SealedRepo sealed;
    final long seed;

    Device(Path dir, long seed) {
      this.seed = seed;
      this.repo = Repo.open(dir);
      this.sealed = SealedRepo.open(repo, dir, SealedLimits.DEFAULT, seeded(seed));
    }

    ShareLink create(String key, String value) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, key, value));
      return sealed.seal(handle);
    }

    void put(DocumentId id, String key, String value) {
      repo.find(id).orElseThrow().change(tx -> tx.put(ObjId.ROOT, key, value));
    }

    String json(DocumentId id) {
      return repo.find(id).orElseThrow().toJson();
    }

    SyncClient connect(String ws, Frames frames) {
      Dialer dialer =
          frames.around(new WebSocketDialer(URI.create(ws), WebSocketDialerOptions.DEFAULT));
      return SyncClient.connect(dialer, TIMEOUT, SealedLimits.DEFAULT, new SplittableRandom(seed));
    }

    SyncReport sync(String ws, DocumentId id, Frames frames) {
      try (SyncClient client = connect(ws, frames)) {
        return sealed.sync(id, client.relayChannel());
      }
    }

    @Override
    public void close() {
      sealed.close();
      repo.close();
    }
  }

  static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every frame sent or received through the dialers it wraps. */
  static final class Frames {
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private int count;

    synchronized void record(byte[] frame) {
      all.write(frame, 0, frame.length);
      all.write(0);
      count++;
    }

    synchronized int count() {
      return count;
    }

    synchronized boolean contain(String text) {
      return indexOf(all.toByteArray(), text.getBytes(StandardCharsets.UTF_8)) >= 0;
    }

    Dialer around(Dialer inner) {
      return new Dialer() {
        @Override
        public CompletableFuture<Connection> dial(ConnectionHandler handler) {
          ConnectionHandler recording =
              new ConnectionHandler() {
                @Override
                public void onFrame(byte[] frame) {
                  record(frame);
                  handler.onFrame(frame);
                }

                @Override
                public void onClose(String reason) {
                  handler.onClose(reason);
                }
              };
          return inner
              .dial(recording)
              .thenApply(
                  connection ->
                      new Connection() {
                        @Override
                        public void send(byte[] frame) {
                          record(frame);
                          connection.send(frame);
                        }

                        @Override
                        public void close(String reason) {
                          connection.close(reason);
                        }

                        @Override
                        public String description() {
                          return connection.description();
                        }
                      });
        }

        @Override
        public String description() {
          return inner.description();
        }
      };
    }
  }

  /** The files under {@code dir} whose bytes contain {@code text} in UTF-8. */
  static List<Path> filesHolding(Path dir, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(file), needle) >= 0) {
          found.add(file);
        }
      }
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
