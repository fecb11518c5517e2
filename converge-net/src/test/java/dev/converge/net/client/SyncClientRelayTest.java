package dev.converge.net.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.net.memory.InMemoryNetwork;
import dev.converge.net.server.DocumentStore;
import dev.converge.net.server.NetworkObserver;
import dev.converge.net.server.SyncServer;
import dev.converge.net.server.SyncServerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.ShareLink;
import dev.converge.repo.sealed.SyncReport;
import dev.converge.repo.sealed.relay.Relay;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncClient#relayChannel} against a server without a sealed relay fails at once with {@link
 * RelayUnavailableException} naming the server, instead of waiting out its timeout; against a
 * server with one, the same sealed sync goes through and the probe's answer is passed over.
 *
 * <p>How: a {@link SyncServer} over in-memory connections, with and without a {@link Relay}; the
 * client's timeout is a minute, so a failure that waited for it would show as a test running for
 * that long (no time is asserted).
 */
class SyncClientRelayTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void relayChannel_serverWithoutRelay_failsFastNamingTheServer() {
    try (Repo serverRepo = Repo.inMemory();
        Repo repo = Repo.inMemory();
        SealedRepo sealed = SealedRepo.inMemory(repo, SealedLimits.DEFAULT, seeded(1))) {
      SyncServer server =
          new SyncServer(
              DocumentStore.of(serverRepo),
              SyncServerOptions.of("server", "storage-server"),
              NetworkObserver.NONE);
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "k", "v"));
      ShareLink link = sealed.seal(handle);
      try (SyncClient client =
          SyncClient.connect(
              InMemoryNetwork.dialer(server, "no-relay-server"),
              TIMEOUT,
              SealedLimits.DEFAULT,
              new SplittableRandom(2))) {
        RelayUnavailableException e =
            assertThrows(
                RelayUnavailableException.class,
                () -> sealed.sync(link.documentId(), client.relayChannel()));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("no-relay-server"), message);
        // Known from now on: a second sealed document fails without asking again.
        assertThrows(
            RelayUnavailableException.class,
            () -> sealed.sync(link.documentId(), client.relayChannel()));
        // The plaintext protocol on the same connection still works.
        DocHandle plain = repo.create();
        plain.change(tx -> tx.put(ObjId.ROOT, "p", 1));
        assertTrue(client.sync(plain).inSync());
      }
      assertTrue(serverRepo.find(link.documentId()).isEmpty(), "nothing of it on the server");
    }
  }

  @Test
  void relayChannel_serverWithRelay_syncsAndIgnoresTheProbeAnswer() {
    try (Repo serverRepo = Repo.inMemory();
        Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Repo repo = Repo.inMemory();
        SealedRepo sealed = SealedRepo.inMemory(repo, SealedLimits.DEFAULT, seeded(3))) {
      SyncServer server =
          new SyncServer(
              DocumentStore.of(serverRepo),
              relay,
              SealedLimits.DEFAULT,
              SyncServerOptions.of("server", "storage-server"),
              NetworkObserver.NONE);
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "k", "v"));
      ShareLink link = sealed.seal(handle);
      try (SyncClient client =
          SyncClient.connect(
              InMemoryNetwork.dialer(server, "relay-server"),
              TIMEOUT,
              SealedLimits.DEFAULT,
              new SplittableRandom(4))) {
        SyncReport report = sealed.sync(link.documentId(), client.relayChannel());
        assertTrue(report.inSync(), report.toString());
        DocHandle plain = repo.create();
        plain.change(tx -> tx.put(ObjId.ROOT, "p", 1));
        assertTrue(client.sync(plain).inSync());
        assertEquals(1, serverRepo.find(plain.id()).orElseThrow().heads().size());
      }
    }
  }
}
