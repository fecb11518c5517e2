package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.relay.Relay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's files on disk (issue 17's canary and tamper tests, at the store): what a relay stores
 * of a sealed document never holds its content, and an envelope altered in the relay's SQLite file
 * is refused by the device that reads it.
 *
 * <p>How: the relay runs over {@code sealed-relay.sqlite} in a temporary directory; every file of
 * the directory (the WAL included, scanned while the relay is open and after it closed) is searched
 * byte by byte for a canary string. The same canary in a plaintext document of a repository in
 * another directory is found, which shows the scan can fail.
 */
class RelayFilesTest {
  private static final String CANARY = "canary-7f3e2d9a-sealed-content";

  @Test
  void sealedDocument_relayFiles_neverHoldTheCanary(@TempDir Path relayDir, @TempDir Path plainDir)
      throws IOException {
    try (Relay relay = Relay.open(relayDir, SealedLimits.DEFAULT);
        Device alice = new Device(51);
        Device bob = new Device(52)) {
      ShareLink link = alice.create("note", CANARY);
      DocumentId id = link.documentId();
      assertTrue(alice.sync(id, relay).inSync());
      alice.put(id, "again", CANARY + " in a later change");
      assertTrue(alice.sync(id, relay).inSync());
      bob.sealed.join(link);
      assertTrue(bob.sync(id, relay).inSync());
      assertTrue(bob.json(id).contains(CANARY), bob.json(id));
      assertTrue(Files.exists(relayDir.resolve(Relay.fileName() + "-wal")));
      assertEquals(List.of(), filesHolding(relayDir, CANARY));
    }
    assertEquals(List.of(), filesHolding(relayDir, CANARY));

    try (Repo plain = Repo.open(plainDir)) {
      DocHandle handle = plain.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "note", CANARY));
      handle.whenDurable().join();
    }
    assertFalse(filesHolding(plainDir, CANARY).isEmpty(), "the scan finds a plaintext canary");
  }

  @Test
  void envelopeAlteredInRelayStore_readerRefusesIt(@TempDir Path relayDir) throws SQLException {
    ShareLink link;
    try (Relay relay = Relay.open(relayDir, SealedLimits.DEFAULT);
        Device alice = new Device(61)) {
      link = alice.create("title", "plans");
      assertTrue(alice.sync(link.documentId(), relay).inSync());
      alice.put(link.documentId(), "later", "secret");
      assertTrue(alice.sync(link.documentId(), relay).inSync());
    }
    try (Connection sql =
            DriverManager.getConnection("jdbc:sqlite:" + relayDir.resolve(Relay.fileName()));
        PreparedStatement select =
            sql.prepareStatement("SELECT bytes FROM envelopes WHERE seq = 2");
        ResultSet rows = select.executeQuery()) {
      assertTrue(rows.next());
      byte[] bytes = rows.getBytes(1);
      bytes[Envelope.HEADER_BYTES + 1] ^= 1;
      try (PreparedStatement update =
          sql.prepareStatement("UPDATE envelopes SET bytes = ? WHERE seq = 2")) {
        update.setBytes(1, bytes);
        assertEquals(1, update.executeUpdate());
      }
    }
    try (Relay relay = Relay.open(relayDir, SealedLimits.DEFAULT);
        Device bob = new Device(62)) {
      bob.sealed.join(link);
      SyncReport report = bob.sync(link.documentId(), relay);
      assertFalse(report.inSync());
      assertTrue(
          report.rejected().stream()
              .anyMatch(
                  e ->
                      e instanceof EnvelopeRejectedException r
                          && r.reason() == EnvelopeRejectedException.Reason.MALFORMED),
          report.rejected().toString());
      assertEquals("{\"title\":\"plans\"}", bob.json(link.documentId()));
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
