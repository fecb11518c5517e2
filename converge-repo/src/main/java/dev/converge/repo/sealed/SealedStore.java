package dev.converge.repo.sealed;

import dev.converge.core.ChangeHash;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.internal.SealedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A device's sealed-document state in one SQLite file, {@value #FILE_NAME}, beside the repository's
 * own store (whose directory lock covers it), WAL mode with {@code synchronous=FULL}.
 *
 * <pre>
 * meta(key TEXT PRIMARY KEY, value INTEGER)                          -- schema_version = 1
 * device(id INTEGER PRIMARY KEY CHECK (id = 1), sign_seed BLOB, sign_public BLOB, box_scalar BLOB)
 * documents(doc BLOB PRIMARY KEY, own_seq INTEGER, covered_heads BLOB,
 *           invite_seed BLOB, invite_scalar BLOB)       -- the invite's keys until joined
 * member_ops(doc BLOB, idx INTEGER, bytes BLOB, confirmed INTEGER, PRIMARY KEY(doc, idx))
 * intents(id INTEGER PRIMARY KEY AUTOINCREMENT, doc BLOB, kind INTEGER, member BLOB)
 * applied(doc BLOB, signer BLOB, seq INTEGER, epoch INTEGER, envelope_id BLOB,
 *         PRIMARY KEY(doc, signer))                     -- the last envelope opened per signer
 * own_envelopes(doc BLOB, seq INTEGER, epoch INTEGER, bytes BLOB, covered_before BLOB,
 *               PRIMARY KEY(doc, seq))                   -- kept: a relay that lost them gets them
 * </pre>
 *
 * <p>Heads are stored as concatenated 32-byte hashes. Every method is one transaction. The tables
 * {@code member_ops} and {@code intents} are read and written through {@link #memberLog}.
 *
 * <p>Thread-safety: every method is synchronized on the store.
 */
final class SealedStore implements AutoCloseable {
  static final String FILE_NAME = "sealed.sqlite";
  private static final long VERSION = 1;
  private static final List<String> TABLES =
      List.of(
          "device(id INTEGER PRIMARY KEY CHECK (id = 1), sign_seed BLOB NOT NULL,"
              + " sign_public BLOB NOT NULL, box_scalar BLOB NOT NULL)",
          "documents(doc BLOB PRIMARY KEY, own_seq INTEGER NOT NULL, covered_heads BLOB NOT NULL,"
              + " invite_seed BLOB, invite_scalar BLOB)",
          "member_ops(doc BLOB NOT NULL, idx INTEGER NOT NULL, bytes BLOB NOT NULL,"
              + " confirmed INTEGER NOT NULL, PRIMARY KEY(doc, idx))",
          "intents(id INTEGER PRIMARY KEY AUTOINCREMENT, doc BLOB NOT NULL,"
              + " kind INTEGER NOT NULL, member BLOB NOT NULL)",
          "applied(doc BLOB NOT NULL, signer BLOB NOT NULL, seq INTEGER NOT NULL,"
              + " epoch INTEGER NOT NULL, envelope_id BLOB NOT NULL, PRIMARY KEY(doc, signer))",
          "own_envelopes(doc BLOB NOT NULL, seq INTEGER NOT NULL, epoch INTEGER NOT NULL,"
              + " bytes BLOB NOT NULL, covered_before BLOB NOT NULL, PRIMARY KEY(doc, seq))");

  private final SealedSqlite database;
  private final MemberLogStore memberLog;

  private SealedStore(SealedSqlite database) {
    this.database = database;
    this.memberLog = new MemberLogStore(database, this);
  }

  /** The member logs and membership intents, in the same file and under the same lock. */
  MemberLogStore memberLog() {
    return memberLog;
  }

  static boolean exists(Path directory) {
    return java.nio.file.Files.isRegularFile(directory.resolve(FILE_NAME));
  }

  /** Opens (creating if missing) the store in {@code directory}; {@code null}: in memory. */
  static SealedStore open(@Nullable Path directory) {
    String url =
        directory == null ? "jdbc:sqlite::memory:" : "jdbc:sqlite:" + directory.resolve(FILE_NAME);
    SealedSqlite database = SealedSqlite.open(url, FILE_NAME, TABLES, VERSION);
    if (directory != null) {
      try {
        ownerOnly(directory.resolve(FILE_NAME));
      } catch (RuntimeException e) {
        database.close();
        throw e;
      }
    }
    return new SealedStore(database);
  }

  /** The file holds private keys: readable by its owner only, where the file system says so. */
  private static void ownerOnly(Path file) {
    try {
      java.nio.file.Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | java.io.IOException e) {
      // Not a POSIX file system: its own access rules apply.
      var unused = e;
    }
  }

  /** Runs {@code work} as one transaction, rolled back if it throws. */
  private <T> T transaction(String what, SealedSqlite.Work<T> work) {
    return database.transaction(what, work);
  }

  // ---- device keys

  synchronized Optional<MemberKeyPair> deviceKeys() {
    return transaction(
        "cannot read the device keys",
        c -> {
          try (Statement statement = c.createStatement();
              ResultSet rows =
                  statement.executeQuery("SELECT sign_seed, box_scalar, sign_public FROM device")) {
            return rows.next()
                ? Optional.of(
                    MemberKeyPair.of(
                        rows.getBytes(1), rows.getBytes(2), ByteString.wrap(rows.getBytes(3))))
                : Optional.empty();
          }
        });
  }

  synchronized void saveDeviceKeys(MemberKeyPair keys) {
    transaction(
        "cannot store the device keys",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO device(id, sign_seed, sign_public, box_scalar) VALUES (1, ?, ?, ?)")) {
            insert.setBytes(1, keys.signSeed());
            insert.setBytes(2, keys.publicKey().signKey().toArray());
            insert.setBytes(3, keys.boxScalar());
            return insert.executeUpdate();
          }
        });
  }

  // ---- documents

  /** The state of one sealed document as stored. */
  record DocumentRow(
      DocumentId id, long ownSeq, List<ChangeHash> coveredHeads, Optional<ShareLink> invite) {}

  synchronized List<DocumentId> documents() {
    return transaction(
        "cannot list sealed documents",
        c -> {
          List<DocumentId> ids = new ArrayList<>();
          try (Statement statement = c.createStatement();
              ResultSet rows = statement.executeQuery("SELECT doc FROM documents ORDER BY doc")) {
            while (rows.next()) {
              ids.add(DocumentId.of(rows.getBytes(1)));
            }
          }
          return ids;
        });
  }

  synchronized Optional<DocumentRow> document(DocumentId id) {
    return transaction(
        "cannot read sealed document " + id,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT own_seq, covered_heads, invite_seed, invite_scalar FROM documents"
                      + " WHERE doc = ?")) {
            select.setBytes(1, id.toBytes());
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) {
                return Optional.empty();
              }
              byte[] seed = rows.getBytes(3);
              byte[] scalar = rows.getBytes(4);
              Optional<ShareLink> invite =
                  seed == null || scalar == null
                      ? Optional.empty()
                      : Optional.of(
                          new ShareLink(id, ByteString.wrap(seed), ByteString.wrap(scalar)));
              return Optional.of(
                  new DocumentRow(id, rows.getLong(1), heads(rows.getBytes(2)), invite));
            }
          }
        });
  }

  /** Adds a sealed document with its first operations (not yet confirmed by a relay). */
  synchronized void addDocument(DocumentId id, List<MemberOp> ops, Optional<ShareLink> invite) {
    transaction(
        "cannot add sealed document " + id,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO documents(doc, own_seq, covered_heads, invite_seed, invite_scalar)"
                      + " VALUES (?, 0, x'', ?, ?)")) {
            insert.setBytes(1, id.toBytes());
            insert.setBytes(2, invite.map(link -> link.signSeed().toArray()).orElse(null));
            insert.setBytes(3, invite.map(link -> link.boxScalar().toArray()).orElse(null));
            insert.executeUpdate();
          }
          MemberLogStore.insertOps(c, id, 0, ops, false);
          return Boolean.TRUE;
        });
  }

  synchronized void clearInvite(DocumentId id) {
    transaction(
        "cannot update sealed document " + id,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE documents SET invite_seed = NULL, invite_scalar = NULL WHERE doc = ?")) {
            update.setBytes(1, id.toBytes());
            return update.executeUpdate();
          }
        });
  }

  // ---- envelopes applied and written

  /** The last envelope opened from one signer. */
  record Applied(ByteString signer, long seq, long epoch, ByteString envelopeId) {}

  synchronized List<Applied> applied(DocumentId id) {
    return transaction(
        "cannot read the envelopes applied to " + id,
        c -> {
          List<Applied> applied = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT signer, seq, epoch, envelope_id FROM applied WHERE doc = ?")) {
            select.setBytes(1, id.toBytes());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                applied.add(
                    new Applied(
                        ByteString.wrap(rows.getBytes(1)),
                        rows.getLong(2),
                        rows.getLong(3),
                        ByteString.wrap(rows.getBytes(4))));
              }
            }
          }
          return applied;
        });
  }

  /** Records envelopes as applied (their changes are durable in the log) and the new coverage. */
  synchronized void recordApplied(DocumentId id, List<Applied> applied, List<ChangeHash> covered) {
    transaction(
        "cannot record the envelopes applied to " + id,
        c -> {
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO applied(doc, signer, seq, epoch, envelope_id) VALUES (?, ?, ?, ?, ?)"
                      + " ON CONFLICT(doc, signer) DO UPDATE SET seq = excluded.seq,"
                      + " epoch = excluded.epoch, envelope_id = excluded.envelope_id")) {
            for (Applied one : applied) {
              upsert.setBytes(1, id.toBytes());
              upsert.setBytes(2, one.signer().toArray());
              upsert.setLong(3, one.seq());
              upsert.setLong(4, one.epoch());
              upsert.setBytes(5, one.envelopeId().toArray());
              upsert.executeUpdate();
            }
          }
          updateCovered(c, id, covered);
          return Boolean.TRUE;
        });
  }

  private static void updateCovered(Connection c, DocumentId id, List<ChangeHash> covered)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE documents SET covered_heads = ? WHERE doc = ?")) {
      update.setBytes(1, headBytes(covered));
      update.setBytes(2, id.toBytes());
      update.executeUpdate();
    }
  }

  /** One envelope this device sealed, and what was covered before it. */
  record OwnEnvelope(long seq, long epoch, Envelope envelope, List<ChangeHash> coveredBefore) {}

  /**
   * Stores envelopes this device just sealed, with the new sequence counter and coverage, in one
   * transaction: a number is reserved durably before its envelope can leave the device.
   */
  synchronized void recordSealed(
      DocumentId id, List<OwnEnvelope> sealed, long ownSeq, List<ChangeHash> covered) {
    transaction(
        "cannot store sealed envelopes of " + id,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO own_envelopes(doc, seq, epoch, bytes, covered_before)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            for (OwnEnvelope own : sealed) {
              insert.setBytes(1, id.toBytes());
              insert.setLong(2, own.seq());
              insert.setLong(3, own.epoch());
              insert.setBytes(4, own.envelope().unsafeBytes());
              insert.setBytes(5, headBytes(own.coveredBefore()));
              insert.executeUpdate();
            }
          }
          setOwnSeq(c, id, ownSeq);
          updateCovered(c, id, covered);
          return Boolean.TRUE;
        });
  }

  private static void setOwnSeq(Connection c, DocumentId id, long ownSeq) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE documents SET own_seq = ? WHERE doc = ?")) {
      update.setLong(1, ownSeq);
      update.setBytes(2, id.toBytes());
      update.executeUpdate();
    }
  }

  /** This device's envelopes numbered above {@code afterSeq}, in order. */
  synchronized List<OwnEnvelope> ownEnvelopes(DocumentId id, long afterSeq, SealedLimits limits) {
    return transaction(
        "cannot read sealed envelopes of " + id,
        c -> {
          List<OwnEnvelope> own = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT seq, epoch, bytes, covered_before FROM own_envelopes"
                      + " WHERE doc = ? AND seq > ? ORDER BY seq")) {
            select.setBytes(1, id.toBytes());
            select.setLong(2, afterSeq);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                own.add(
                    new OwnEnvelope(
                        rows.getLong(1),
                        rows.getLong(2),
                        Envelope.decode(rows.getBytes(3), limits),
                        heads(rows.getBytes(4))));
              }
            }
          }
          return own;
        });
  }

  /**
   * Drops this device's envelopes from {@code fromSeq} on (the relay refused them), so that their
   * changes are sealed again: the counter goes back to {@code ownSeq} (below {@code fromSeq}; lower
   * only over numbers this store never sealed with) and the coverage to what it was before the
   * first dropped one. The numbers are used again only under another epoch key or with fresh random
   * nonce bytes.
   */
  synchronized void dropOwnEnvelopes(
      DocumentId id, long fromSeq, long ownSeq, List<ChangeHash> coveredBefore) {
    if (ownSeq >= fromSeq) {
      throw new IllegalArgumentException("counter " + ownSeq + " not below " + fromSeq);
    }
    transaction(
        "cannot drop sealed envelopes of " + id,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM own_envelopes WHERE doc = ? AND seq >= ?")) {
            delete.setBytes(1, id.toBytes());
            delete.setLong(2, fromSeq);
            delete.executeUpdate();
          }
          setOwnSeq(c, id, ownSeq);
          updateCovered(c, id, coveredBefore);
          return Boolean.TRUE;
        });
  }

  /**
   * After a rollback of this device's store (a relay holds numbers of ours above our counter):
   * continue after the relay's numbers and seal everything again.
   */
  synchronized void skipTo(DocumentId id, long ownSeq) {
    transaction(
        "cannot update sealed document " + id,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM own_envelopes WHERE doc = ?")) {
            delete.setBytes(1, id.toBytes());
            delete.executeUpdate();
          }
          setOwnSeq(c, id, ownSeq);
          updateCovered(c, id, List.of());
          return Boolean.TRUE;
        });
  }

  static List<ChangeHash> heads(byte[] bytes) {
    List<ChangeHash> heads = new ArrayList<>();
    for (int offset = 0; offset + ChangeHash.LENGTH <= bytes.length; offset += ChangeHash.LENGTH) {
      heads.add(ChangeHash.of(bytes, offset));
    }
    return heads;
  }

  static byte[] headBytes(List<ChangeHash> heads) {
    byte[] bytes = new byte[heads.size() * ChangeHash.LENGTH];
    for (int i = 0; i < heads.size(); i++) {
      System.arraycopy(heads.get(i).toBytes(), 0, bytes, i * ChangeHash.LENGTH, ChangeHash.LENGTH);
    }
    return bytes;
  }

  @Override
  public synchronized void close() {
    database.close();
  }
}
