package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage inside rows, which SQLite does not notice: a change's bytes, the document a log entry
 * names, the recorded heads. Each is refused with a typed error where it is read; {@link
 * Repo#scrub} drops the damaged entries and names the documents short of changes; {@link
 * Repo#repair} then takes them back from a peer.
 *
 * <p>How: a store of two documents is written and closed, a row is damaged with plain JDBC, and
 * "the peer" is a copy of each document saved before the damage, as a server would hold it.
 */
class RepoScrubTest {
  @TempDir Path dir;

  private final DocumentId first = DocumentId.random(new SplittableRandom(21));
  private final DocumentId second = DocumentId.random(new SplittableRandom(22));
  private byte[] firstCopy = new byte[0];
  private byte[] secondCopy = new byte[0];

  private void seed() {
    try (Repo repo = Repo.open(dir)) {
      DocHandle a = repo.findOrCreate(first);
      DocHandle b = repo.findOrCreate(second);
      for (int i = 0; i < 4; i++) {
        int n = i;
        a.change(tx -> tx.put(ObjId.ROOT, "a" + n, n));
        b.change(tx -> tx.put(ObjId.ROOT, "b" + n, n));
      }
      Futures.join(a.whenDurable());
      Futures.join(b.whenDurable());
      firstCopy = a.save();
      secondCopy = b.save();
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
  }

  private void sql(String statement, Object... parameters) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement prepared = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        prepared.setObject(i + 1, parameters[i]);
      }
      prepared.executeUpdate();
    }
  }

  private byte[] bytesAt(long offset) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT bytes FROM log WHERE log_offset = " + offset)) {
      rows.next();
      return rows.getBytes(1);
    }
  }

  private void assertWhole(Repo repo) {
    assertEquals(Document.load(firstCopy).toJson(), repo.find(first).orElseThrow().toJson());
    assertEquals(Document.load(secondCopy).toJson(), repo.find(second).orElseThrow().toJson());
    assertEquals(8, repo.changes().read(0, 100).size());
    assertEquals(List.of(), repo.scrub());
  }

  @Test
  void scrub_changeNotMatchingItsHash_droppedAndItsDocumentRepairedFromAPeer() throws SQLException {
    seed();
    byte[] bytes = bytesAt(3);
    bytes[bytes.length - 2] ^= 0x10;
    sql("UPDATE log SET bytes = ? WHERE log_offset = 3", bytes);
    try (Repo repo = Repo.open(dir)) {
      assertThrows(CorruptStoreException.class, () -> repo.changes().read(0, 100));
      List<DocumentId> damaged = repo.scrub();
      assertEquals(1, damaged.size());
      assertEquals(7, repo.changes().read(0, 100).size());
      DocumentId id = damaged.get(0);
      assertThrows(CorruptStoreException.class, () -> repo.find(id));
      byte[] copy = id.equals(first) ? firstCopy : secondCopy;
      repo.repair(id, Document.load(copy).changes());
      assertWhole(repo);
    }
    try (Repo repo = Repo.open(dir)) {
      assertWhole(repo);
    }
  }

  /**
   * An entry whose document name changed: the log read refuses it (it names a document the store
   * does not hold); the scrub drops it and names the document it was taken from, by its recorded
   * count, and deletes that document's snapshot, which would hide the loss from a load.
   */
  @Test
  void scrub_entryNamingAnUnknownDocument_droppedAndTheShortDocumentNamed() throws SQLException {
    seed();
    sql(
        "INSERT INTO snapshots(doc, log_offset, bytes) VALUES (?, 8, ?)",
        first.toString(),
        firstCopy);
    sql("UPDATE log SET doc = ? WHERE log_offset = 1", first + "x");
    try (Repo repo = Repo.open(dir)) {
      CorruptStoreException refused =
          assertThrows(CorruptStoreException.class, () -> repo.changes().read(0, 100));
      assertTrue(
          String.valueOf(refused.getMessage()).contains("log entry 1 names document"),
          refused.getMessage());
      assertEquals(List.of(first), repo.scrub());
      assertThrows(CorruptStoreException.class, () -> repo.find(first));
      repo.repair(first, Document.load(firstCopy).changes());
      assertWhole(repo);
    }
  }

  /** A document whose row in docs is damaged is refused, not reported missing. */
  @Test
  void find_documentListedUnderADamagedName_refusedNotMissing() throws SQLException {
    seed();
    sql("UPDATE docs SET id = ? WHERE id = ?", first + "x", first.toString());
    try (Repo repo = Repo.open(dir)) {
      CorruptStoreException refused =
          assertThrows(CorruptStoreException.class, () -> repo.find(first));
      assertTrue(
          String.valueOf(refused.getMessage()).contains("does not list it"), refused.getMessage());
    }
  }

  /** Damaged recorded heads: the peer's changes are the witness, and the record is rewritten. */
  @Test
  void repair_recordedHeadsDamaged_takesThePeersChangesAndRewritesTheRecord() throws SQLException {
    seed();
    sql("UPDATE docs SET heads = '[\"not hex\"]' WHERE id = ?", first.toString());
    try (Repo repo = Repo.open(dir)) {
      assertThrows(CorruptStoreException.class, () -> repo.find(first));
      repo.repair(first, Document.load(firstCopy).changes());
      assertWhole(repo);
    }
  }
}
