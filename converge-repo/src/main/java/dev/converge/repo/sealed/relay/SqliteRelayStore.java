package dev.converge.repo.sealed.relay;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.ByteString;
import dev.converge.repo.spi.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * A {@link RelayStore} in one SQLite file ({@value #FILE_NAME}), WAL mode with {@code
 * synchronous=FULL}: a push is acknowledged only after its transaction is on disk.
 *
 * <pre>
 * meta(key TEXT PRIMARY KEY, value INTEGER)                       -- schema_version = 1
 * member_ops(doc BLOB, idx INTEGER, bytes BLOB, PRIMARY KEY(doc, idx))
 * envelopes(doc BLOB, signer BLOB, seq INTEGER, envelope_id BLOB, epoch INTEGER, size INTEGER,
 *           bytes BLOB, PRIMARY KEY(doc, signer, seq))
 * </pre>
 *
 * <p>Nothing else: the relay stores what routing needs and the sealed bytes. The directory is
 * locked by whoever owns it (the server's repository); this file is opened by one relay at a time.
 *
 * <p>Thread-safety: every method is synchronized on the store.
 */
final class SqliteRelayStore implements RelayStore {
  static final String FILE_NAME = "sealed-relay.sqlite";
  private static final long VERSION = 1;

  private final Connection connection;

  private SqliteRelayStore(Connection connection) {
    this.connection = connection;
  }

  static SqliteRelayStore open(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setBusyTimeout(10_000);
      Connection connection = config.createConnection("jdbc:sqlite:" + file);
      try {
        createOrCheck(connection);
        connection.setAutoCommit(false);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      return new SqliteRelayStore(connection);
    } catch (SQLException e) {
      throw failure("cannot open " + file, e);
    }
  }

  private static void createOrCheck(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER)");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS member_ops(doc BLOB NOT NULL, idx INTEGER NOT NULL,"
              + " bytes BLOB NOT NULL, PRIMARY KEY(doc, idx))");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS envelopes(doc BLOB NOT NULL, signer BLOB NOT NULL,"
              + " seq INTEGER NOT NULL, envelope_id BLOB NOT NULL, epoch INTEGER NOT NULL,"
              + " size INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY(doc, signer, seq))");
      statement.execute(
          "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', " + VERSION + ")");
      try (ResultSet rows =
          statement.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
        long found = rows.next() ? rows.getLong(1) : -1;
        if (found != VERSION) {
          throw new StorageException(
              ConvergeException.Kind.UNSUPPORTED,
              "the relay store has schema version " + found + ", this relay knows " + VERSION);
        }
      }
    }
  }

  private static StorageException failure(String what, SQLException e) {
    return new StorageException(
        ConvergeException.Kind.UNSUPPORTED, what + ": " + e.getMessage(), e);
  }

  @Override
  public synchronized List<DocumentId> documents() {
    List<DocumentId> documents = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT DISTINCT doc FROM member_ops")) {
      while (rows.next()) {
        documents.add(DocumentId.of(rows.getBytes(1)));
      }
      connection.commit();
      return documents;
    } catch (SQLException e) {
      throw failure("cannot list the relay's documents", e);
    }
  }

  @Override
  public synchronized List<ByteString> memberOps(DocumentId documentId) {
    List<ByteString> ops = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement("SELECT bytes FROM member_ops WHERE doc = ? ORDER BY idx")) {
      select.setBytes(1, documentId.toBytes());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ops.add(ByteString.of(rows.getBytes(1)));
        }
      }
      connection.commit();
      return ops;
    } catch (SQLException e) {
      throw failure("cannot read the member log of " + documentId, e);
    }
  }

  @Override
  public synchronized void appendMemberOps(
      DocumentId documentId, int firstIndex, List<ByteString> ops) {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO member_ops(doc, idx, bytes) VALUES (?, ?, ?)")) {
      for (int i = 0; i < ops.size(); i++) {
        insert.setBytes(1, documentId.toBytes());
        insert.setInt(2, firstIndex + i);
        insert.setBytes(3, ops.get(i).toArray());
        insert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      rollback(e);
      throw failure("cannot store the member log of " + documentId, e);
    }
  }

  @Override
  public synchronized void appendEnvelopes(DocumentId documentId, List<StoredEnvelope> envelopes) {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO envelopes(doc, signer, seq, envelope_id, epoch, size, bytes)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (StoredEnvelope envelope : envelopes) {
        insert.setBytes(1, documentId.toBytes());
        insert.setBytes(2, envelope.signer().toArray());
        insert.setLong(3, envelope.seq());
        insert.setBytes(4, envelope.envelopeId().toArray());
        insert.setLong(5, envelope.epoch());
        insert.setInt(6, envelope.bytes().length());
        insert.setBytes(7, envelope.bytes().toArray());
        insert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      rollback(e);
      throw failure("cannot store envelopes of " + documentId, e);
    }
  }

  @Override
  public synchronized List<StoredEnvelope> envelopes(
      DocumentId documentId, ByteString signer, long fromSeq, long bytesMax) {
    List<StoredEnvelope> out = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT envelope_id, seq, epoch, bytes FROM envelopes"
                + " WHERE doc = ? AND signer = ? AND seq >= ? ORDER BY seq")) {
      select.setBytes(1, documentId.toBytes());
      select.setBytes(2, signer.toArray());
      select.setLong(3, fromSeq);
      long bytes = 0;
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          byte[] envelope = rows.getBytes(4);
          if (!out.isEmpty() && bytes + envelope.length > bytesMax) {
            break;
          }
          bytes += envelope.length;
          out.add(
              new StoredEnvelope(
                  ByteString.of(rows.getBytes(1)),
                  signer,
                  rows.getLong(2),
                  rows.getLong(3),
                  ByteString.of(envelope)));
        }
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw failure("cannot read envelopes of " + documentId, e);
    }
  }

  @Override
  public synchronized Optional<ByteString> envelopeId(
      DocumentId documentId, ByteString signer, long seq) {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT envelope_id FROM envelopes WHERE doc = ? AND signer = ? AND seq = ?")) {
      select.setBytes(1, documentId.toBytes());
      select.setBytes(2, signer.toArray());
      select.setLong(3, seq);
      Optional<ByteString> id;
      try (ResultSet rows = select.executeQuery()) {
        id = rows.next() ? Optional.of(ByteString.of(rows.getBytes(1))) : Optional.empty();
      }
      connection.commit();
      return id;
    } catch (SQLException e) {
      throw failure("cannot read envelopes of " + documentId, e);
    }
  }

  @Override
  public synchronized Map<ByteString, Long> highestSeqs(DocumentId documentId) {
    Map<ByteString, Long> highest = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT signer, max(seq) FROM envelopes WHERE doc = ? GROUP BY signer")) {
      select.setBytes(1, documentId.toBytes());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          highest.put(ByteString.of(rows.getBytes(1)), rows.getLong(2));
        }
      }
      connection.commit();
      return highest;
    } catch (SQLException e) {
      throw failure("cannot read envelopes of " + documentId, e);
    }
  }

  @Override
  public synchronized long envelopeBytes(DocumentId documentId) {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT coalesce(sum(size), 0) FROM envelopes WHERE doc = ?")) {
      select.setBytes(1, documentId.toBytes());
      long bytes;
      try (ResultSet rows = select.executeQuery()) {
        bytes = rows.next() ? rows.getLong(1) : 0;
      }
      connection.commit();
      return bytes;
    } catch (SQLException e) {
      throw failure("cannot read envelopes of " + documentId, e);
    }
  }

  private void rollback(SQLException cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure("cannot close the relay store", e);
    }
  }
}
