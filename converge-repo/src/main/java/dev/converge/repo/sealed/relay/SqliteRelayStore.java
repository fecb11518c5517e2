package dev.converge.repo.sealed.relay;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.ByteString;
import dev.converge.repo.sealed.internal.SealedSqlite;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RelayStore} in one SQLite file ({@value #FILE_NAME}), WAL mode with {@code
 * synchronous=FULL}: a push is acknowledged only after its transaction is on disk.
 *
 * <pre>
 * meta(key TEXT PRIMARY KEY, value INTEGER)                       -- schema_version = 1 (SealedSqlite)
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

  private static final List<String> TABLES =
      List.of(
          "member_ops(doc BLOB NOT NULL, idx INTEGER NOT NULL, bytes BLOB NOT NULL,"
              + " PRIMARY KEY(doc, idx))",
          "envelopes(doc BLOB NOT NULL, signer BLOB NOT NULL, seq INTEGER NOT NULL,"
              + " envelope_id BLOB NOT NULL, epoch INTEGER NOT NULL, size INTEGER NOT NULL,"
              + " bytes BLOB NOT NULL, PRIMARY KEY(doc, signer, seq))");

  private final SealedSqlite database;

  private SqliteRelayStore(SealedSqlite database) {
    this.database = database;
  }

  static SqliteRelayStore open(Path directory) {
    return new SqliteRelayStore(
        SealedSqlite.open(
            "jdbc:sqlite:" + directory.resolve(FILE_NAME), FILE_NAME, TABLES, VERSION));
  }

  @Override
  public synchronized List<DocumentId> documents() {
    return database.transaction(
        "cannot list the relay's documents",
        c -> {
          List<DocumentId> documents = new ArrayList<>();
          try (Statement statement = c.createStatement();
              ResultSet rows = statement.executeQuery("SELECT DISTINCT doc FROM member_ops")) {
            while (rows.next()) {
              documents.add(DocumentId.of(rows.getBytes(1)));
            }
          }
          return documents;
        });
  }

  @Override
  public synchronized List<ByteString> memberOps(DocumentId documentId) {
    return database.transaction(
        "cannot read the member log of " + documentId,
        c -> {
          List<ByteString> ops = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement("SELECT bytes FROM member_ops WHERE doc = ? ORDER BY idx")) {
            select.setBytes(1, documentId.toBytes());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ops.add(ByteString.of(rows.getBytes(1)));
              }
            }
          }
          return ops;
        });
  }

  @Override
  public synchronized void appendMemberOps(
      DocumentId documentId, int firstIndex, List<ByteString> ops) {
    database.transaction(
        "cannot store the member log of " + documentId,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement("INSERT INTO member_ops(doc, idx, bytes) VALUES (?, ?, ?)")) {
            for (int i = 0; i < ops.size(); i++) {
              insert.setBytes(1, documentId.toBytes());
              insert.setInt(2, firstIndex + i);
              insert.setBytes(3, ops.get(i).toArray());
              insert.executeUpdate();
            }
          }
          return Boolean.TRUE;
        });
  }

  @Override
  public synchronized void appendEnvelopes(DocumentId documentId, List<StoredEnvelope> envelopes) {
    database.transaction(
        "cannot store envelopes of " + documentId,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
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
          }
          return Boolean.TRUE;
        });
  }

  @Override
  public synchronized List<StoredEnvelope> envelopes(
      DocumentId documentId, ByteString signer, long fromSeq, long bytesMax) {
    return database.transaction(
        "cannot read envelopes of " + documentId,
        c -> {
          List<StoredEnvelope> out = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement(
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
          }
          return out;
        });
  }

  @Override
  public synchronized Optional<ByteString> envelopeId(
      DocumentId documentId, ByteString signer, long seq) {
    return database.transaction(
        "cannot read envelopes of " + documentId,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT envelope_id FROM envelopes WHERE doc = ? AND signer = ? AND seq = ?")) {
            select.setBytes(1, documentId.toBytes());
            select.setBytes(2, signer.toArray());
            select.setLong(3, seq);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(ByteString.of(rows.getBytes(1))) : Optional.empty();
            }
          }
        });
  }

  @Override
  public synchronized Map<ByteString, Long> highestSeqs(DocumentId documentId) {
    return database.transaction(
        "cannot read envelopes of " + documentId,
        c -> {
          Map<ByteString, Long> highest = new HashMap<>();
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT signer, max(seq) FROM envelopes WHERE doc = ? GROUP BY signer")) {
            select.setBytes(1, documentId.toBytes());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                highest.put(ByteString.of(rows.getBytes(1)), rows.getLong(2));
              }
            }
          }
          return highest;
        });
  }

  @Override
  public synchronized long envelopeBytes(DocumentId documentId) {
    return database.transaction(
        "cannot read envelopes of " + documentId,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT coalesce(sum(size), 0) FROM envelopes WHERE doc = ?")) {
            select.setBytes(1, documentId.toBytes());
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? rows.getLong(1) : 0L;
            }
          }
        });
  }

  @Override
  public synchronized void close() {
    database.close();
  }
}
