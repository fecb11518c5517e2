package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.LostChangesException;
import dev.converge.repo.sqlite.IfMissing;
import dev.converge.repo.sqlite.LostChanges;
import dev.converge.repo.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that lost acknowledged changes is detected, then repaired from a peer. The loss is made
 * with plain JDBC on a closed store: log rows deleted as a dropped page or a truncated WAL would,
 * while the document's recorded heads and change count (written in the same transaction as the rows
 * they describe) survive. The "peer" is a copy of the document saved before the loss, as a server
 * or another device would hold it.
 */
class LostChangesTest {
  @TempDir Path dir;

  private final DocumentId id = DocumentId.random(new SplittableRandom(11));
  private byte[] peerCopy = new byte[0];

  private void seed(int changes) {
    try (Repo repo = Repo.open(dir)) {
      DocHandle handle = repo.findOrCreate(id);
      for (int i = 0; i < changes; i++) {
        int n = i;
        handle.change(tx -> tx.put(ObjId.ROOT, "n" + n, n));
      }
      Futures.join(handle.whenDurable());
      peerCopy = handle.save();
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
        Statement plain = connection.createStatement()) {
      plain.executeUpdate(statement);
    }
  }

  @Test
  void lostLastChanges_detectedOnLoad_thenRepairedFromPeer() throws SQLException {
    seed(5);
    sql("DELETE FROM log WHERE log_offset > 3");
    try (Repo repo = Repo.open(dir)) {
      LostChangesException lost = assertThrows(LostChangesException.class, () -> repo.find(id));
      assertEquals(Optional.of(id.toString()), lost.documentId());
      assertEquals(1, lost.missingHeads().size());

      DocHandle repaired = repo.repair(id, Document.load(peerCopy).changes());
      assertEquals(Document.load(peerCopy).toJson(), repaired.toJson());
    }
    try (Repo repo = Repo.open(dir)) {
      DocHandle handle = repo.find(id).orElseThrow();
      assertEquals(Document.load(peerCopy).toJson(), handle.toJson());
      assertEquals(5, repo.changes().read(0, 100).size());
      handle.change(tx -> tx.put(ObjId.ROOT, "after", "repair"));
      Futures.join(handle.whenDurable());
    }
  }

  @Test
  void lostMiddleChange_detectedOnLoad_thenRepairedFromPeer() throws SQLException {
    seed(4);
    sql("DELETE FROM log WHERE log_offset = 2");
    try (Repo repo = Repo.open(dir)) {
      assertThrows(CorruptStoreException.class, () -> repo.find(id));
      DocHandle repaired = repo.repair(id, Document.load(peerCopy).changes());
      assertEquals(Document.load(peerCopy).toJson(), repaired.toJson());
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals(Document.load(peerCopy).toJson(), repo.find(id).orElseThrow().toJson());
    }
  }

  @Test
  void repair_withPeerLackingTheLostChanges_refusedAndNothingWritten() throws SQLException {
    seed(3);
    List<Change> stale = Document.load(peerCopy).changes().subList(0, 1);
    sql("DELETE FROM log WHERE log_offset = 3");
    try (Repo repo = Repo.open(dir)) {
      long end = repo.changes().endOffset();
      LostChangesException still =
          assertThrows(LostChangesException.class, () -> repo.repair(id, stale));
      assertEquals(1, still.missingHeads().size());
      assertEquals(end, repo.changes().endOffset());
      assertThrows(LostChangesException.class, () -> repo.find(id));
    }
  }

  @Test
  void uncleanOpen_logShorterThanRecordedCounts_isLostChanges() throws SQLException {
    seed(3);
    sql("DELETE FROM log WHERE log_offset = 3");
    // As if the process had died: the next open checks the store.
    sql("UPDATE meta SET value = 1 WHERE key = 'open'");
    LostChangesException lost = assertThrows(LostChangesException.class, () -> Repo.open(dir));
    assertTrue(String.valueOf(lost.getMessage()).contains("holds 2 changes"), lost.getMessage());
  }

  /**
   * The same store opened with LostChanges.OPEN_FOR_REPAIR: the short document is then repaired.
   */
  @Test
  void uncleanOpen_logShorterThanRecordedCounts_acceptedThenRepairedFromPeer() throws SQLException {
    seed(3);
    sql("DELETE FROM log WHERE log_offset = 3");
    sql("UPDATE meta SET value = 1 WHERE key = 'open'");
    RepoOptions accepting =
        RepoOptions.defaults()
            .withStorage(
                SqliteStorage.Options.DEFAULT.withLostChanges(LostChanges.OPEN_FOR_REPAIR));
    try (Repo repo = Repo.open(dir, accepting)) {
      assertThrows(LostChangesException.class, () -> repo.find(id));
      repo.repair(id, Document.load(peerCopy).changes());
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals(Document.load(peerCopy).toJson(), repo.find(id).orElseThrow().toJson());
    }
  }

  /**
   * The whole file goes back to an older copy (as a truncated WAL would leave it): its own counts
   * and heads are consistent, so only the witness beside it can tell. The open is refused; opened
   * with LostChanges.OPEN_FOR_REPAIR, the document takes the peer's changes back and the store is
   * whole.
   */
  @Test
  void storeRolledBackAsAWhole_refusedOnOpen_thenAcceptedAndRepairedFromPeer() throws Exception {
    seed(2);
    Path file = dir.resolve(SqliteStorage.FILE_NAME);
    byte[] older = Files.readAllBytes(file);
    try (Repo repo = Repo.open(dir)) {
      DocHandle handle = repo.find(id).orElseThrow();
      handle.change(tx -> tx.put(ObjId.ROOT, "later", 1));
      handle.change(tx -> tx.put(ObjId.ROOT, "later", 2));
      Futures.join(handle.whenDurable());
      peerCopy = handle.save();
    }
    Files.write(file, older);
    Files.deleteIfExists(dir.resolve(SqliteStorage.FILE_NAME + "-wal"));
    Files.deleteIfExists(dir.resolve(SqliteStorage.FILE_NAME + "-shm"));

    LostChangesException lost = assertThrows(LostChangesException.class, () -> Repo.open(dir));
    assertTrue(
        String.valueOf(lost.getMessage()).contains("ends at offset 2 but offset 4"),
        lost.getMessage());
    RepoOptions accepting =
        RepoOptions.defaults()
            .withStorage(
                SqliteStorage.Options.DEFAULT.withLostChanges(LostChanges.OPEN_FOR_REPAIR));
    try (Repo repo = Repo.open(dir, accepting)) {
      DocHandle handle = repo.find(id).orElseThrow();
      assertEquals(2, handle.changes().size());
      assertEquals(2, handle.applyChanges(Document.load(peerCopy).changes()));
      Futures.join(handle.whenDurable());
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals(Document.load(peerCopy).toJson(), repo.find(id).orElseThrow().toJson());
    }
  }

  @Test
  void append_otherChangeUnderStoredActorAndSeq_isRefused() {
    dev.converge.core.ActorId actor = dev.converge.core.ActorId.fromHex("aabbccdd");
    Document first = Document.create(actor);
    Change original = first.change(tx -> tx.put(ObjId.ROOT, "a", 1)).orElseThrow();
    Document second = Document.create(actor);
    Change impostor = second.change(tx -> tx.put(ObjId.ROOT, "a", 2)).orElseThrow();
    assertEquals(original.seq(), impostor.seq());
    try (SqliteStorage storage =
        SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT)) {
      Futures.join(storage.append("doc", List.of(original)));
      assertThrows(
          dev.converge.core.CorruptDataException.class,
          () -> Futures.join(storage.append("doc", List.of(impostor))));
      assertEquals(0L, Futures.join(storage.append("doc", List.of(original))));
      List<ChangeHash> heads = storage.recordedHeads("doc");
      assertEquals(List.of(original.hash()), heads);
    }
  }
}
