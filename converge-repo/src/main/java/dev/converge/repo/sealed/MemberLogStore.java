package dev.converge.repo.sealed;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.internal.SealedSqlite;
import dev.converge.repo.spi.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The member-log part of a device's {@link SealedStore}: per sealed document its member operations
 * ({@code member_ops}, in index order, the first ones confirmed by a relay) and the membership
 * changes asked for on this device and not yet made into operations ({@code intents}).
 *
 * <p>Thread-safety: every method runs under the lock of its {@link SealedStore}, whose connection
 * it shares; every method is one transaction.
 */
final class MemberLogStore {
  private final SealedSqlite database;
  private final Object lock;

  MemberLogStore(SealedSqlite database, Object lock) {
    this.database = database;
    this.lock = lock;
  }

  /** Runs {@code work} as one transaction under the store's lock, rolled back if it throws. */
  private <T> T transaction(String what, SealedSqlite.Work<T> work) {
    synchronized (lock) {
      return database.transaction(what, work);
    }
  }

  /** The operations, in index order, and how many of the first ones a relay confirmed. */
  record StoredLog(List<MemberOp> ops, int confirmed) {}

  StoredLog memberOps(DocumentId id, SealedLimits limits) {
    return transaction(
        "cannot read the member log of " + id,
        c -> {
          List<MemberOp> ops = new ArrayList<>();
          int confirmed = 0;
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT bytes, confirmed FROM member_ops WHERE doc = ? ORDER BY idx")) {
            select.setBytes(1, id.toBytes());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ops.add(MemberOp.decode(rows.getBytes(1), limits));
                if (rows.getInt(2) != 0 && confirmed == ops.size() - 1) {
                  confirmed++;
                }
              }
            }
          }
          return new StoredLog(ops, confirmed);
        });
  }

  /**
   * Replaces the log from index {@code from} on with {@code ops}, and marks the first {@code
   * confirmed} operations of the whole log confirmed.
   */
  void replaceOps(DocumentId id, int from, List<MemberOp> ops, int confirmed) {
    transaction(
        "cannot store the member log of " + id,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM member_ops WHERE doc = ? AND idx >= ?")) {
            delete.setBytes(1, id.toBytes());
            delete.setInt(2, from);
            delete.executeUpdate();
          }
          insertOps(c, id, from, ops, false);
          try (PreparedStatement update =
              c.prepareStatement("UPDATE member_ops SET confirmed = (idx < ?) WHERE doc = ?")) {
            update.setInt(1, confirmed);
            update.setBytes(2, id.toBytes());
            update.executeUpdate();
          }
          return Boolean.TRUE;
        });
  }

  static void insertOps(
      Connection c, DocumentId id, int from, List<MemberOp> ops, boolean confirmed)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO member_ops(doc, idx, bytes, confirmed) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < ops.size(); i++) {
        insert.setBytes(1, id.toBytes());
        insert.setInt(2, from + i);
        insert.setBytes(3, ops.get(i).toBytes());
        insert.setInt(4, confirmed ? 1 : 0);
        insert.executeUpdate();
      }
    }
  }

  /** A membership change asked for on this device, made into an operation at the next sync. */
  record Intent(long id, IntentKind kind, ByteString member) {}

  /** What an intent asks for; {@code member} is a member key (64 bytes) or, to remove, a key. */
  enum IntentKind {
    ADD_DEVICE(0),
    ADD_INVITE(1),
    REMOVE(2);

    final int code;

    IntentKind(int code) {
      this.code = code;
    }

    static IntentKind of(int code) {
      for (IntentKind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new StorageException(
          ConvergeException.Kind.CORRUPT_DATA,
          SealedStore.FILE_NAME + " holds an intent of kind " + code);
    }
  }

  void addIntent(DocumentId id, IntentKind kind, ByteString member) {
    transaction(
        "cannot store a membership change of " + id,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement("INSERT INTO intents(doc, kind, member) VALUES (?, ?, ?)")) {
            insert.setBytes(1, id.toBytes());
            insert.setInt(2, kind.code);
            insert.setBytes(3, member.toArray());
            return insert.executeUpdate();
          }
        });
  }

  List<Intent> intents(DocumentId id) {
    return transaction(
        "cannot read the membership changes of " + id,
        c -> {
          List<Intent> intents = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, kind, member FROM intents WHERE doc = ? ORDER BY id")) {
            select.setBytes(1, id.toBytes());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                intents.add(
                    new Intent(
                        rows.getLong(1),
                        IntentKind.of(rows.getInt(2)),
                        ByteString.wrap(rows.getBytes(3))));
              }
            }
          }
          return intents;
        });
  }

  void removeIntent(long intentId) {
    transaction(
        "cannot drop a membership change",
        c -> {
          try (PreparedStatement delete = c.prepareStatement("DELETE FROM intents WHERE id = ?")) {
            delete.setLong(1, intentId);
            return delete.executeUpdate();
          }
        });
  }
}
