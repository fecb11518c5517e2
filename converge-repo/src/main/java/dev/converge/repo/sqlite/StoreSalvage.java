package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.CorruptDataException;
import dev.converge.core.MissingDependenciesException;
import dev.converge.repo.spi.ChangeBytes;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.StorageFutures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Rescues what a damaged store still holds into a fresh one, for a store SQLite itself finds
 * malformed ({@link dev.converge.repo.spi.MalformedStoreException}): the damaged files are moved
 * aside, never deleted ({@code converge.sqlite.damaged-N}, with its {@code -wal}); every log entry
 * that can still be read and matches its hash is appended to a new store in its old order, under a
 * document the old store listed; the rest is left for the peers. A change whose dependencies were
 * lost is refused like any append missing its dependencies, and comes back with them from a peer.
 * Nothing is guessed: what is appended is exactly what was written, since each change matches the
 * hash it was stored under.
 *
 * <p>Afterwards the repository opens as usual, and syncing each document with a peer brings back
 * what was lost.
 */
public final class StoreSalvage {
  /** Offsets read one by one past the last readable entry, when the log's end is unknown. */
  private static final int PROBE_OFFSETS_MAX = 10_000;

  /**
   * What a salvage did.
   *
   * @param damagedFile where the damaged main file now is (its WAL beside it, with {@code -wal})
   * @param documents documents in the new store
   * @param changesSalvaged changes appended to the new store
   * @param changesRefused readable changes refused because a dependency was lost
   * @param entriesUnreadable log entries that could not be read, or did not match their hash
   */
  public record Report(
      Path damagedFile,
      int documents,
      int changesSalvaged,
      int changesRefused,
      int entriesUnreadable) {}

  /** A log entry read back and verified. */
  private record Entry(long offset, String documentId, Change change) {}

  /** What could be read from the damaged files. */
  private record Found(Set<String> documents, List<Entry> entries, int unreadable) {}

  private StoreSalvage() {}

  /**
   * Moves the damaged store in {@code directory} aside and writes a fresh store there holding every
   * document and change that can still be read from it.
   *
   * @param isDocumentId tells a document ID from a damaged one, for when the list of documents
   *     cannot be read and the entries' own document names are all there is
   * @throws StorageException of kind INVALID_ARGUMENT if {@code directory} holds no store, or the
   *     files cannot be moved
   * @throws dev.converge.repo.spi.StoreInUseException if a store is open on {@code directory}
   */
  public static Report salvage(
      Path directory, SqliteStorage.Options options, Predicate<String> isDocumentId) {
    Path file = directory.resolve(SqliteStorage.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new StorageException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "no Converge repository in " + directory + " (expected " + SqliteStorage.FILE_NAME + ")");
    }
    OptionalLong acknowledged = OptionalLong.empty();
    try {
      acknowledged = new AckedOffsetWitness(directory).read();
    } catch (CorruptStoreException e) {
      // A damaged witness only bounds how far the log is probed; the log is read regardless.
    }
    Path aside;
    Found found;
    // Held while the files move and are read, so no store opens them meanwhile; the fresh store
    // takes the lock again when it opens.
    DirectoryLock lock = DirectoryLock.acquire(directory);
    try {
      aside = moveAside(directory);
      found = read(aside, acknowledged, isDocumentId);
    } finally {
      lock.close();
    }
    int salvaged = 0;
    int refused = 0;
    try (SqliteStorage fresh = SqliteStorage.open(directory, IfMissing.CREATE, options)) {
      for (String documentId : found.documents()) {
        StorageFutures.join(fresh.createDocument(documentId));
      }
      for (Entry entry : found.entries()) {
        try {
          if (StorageFutures.join(fresh.append(entry.documentId(), List.of(entry.change()))) > 0) {
            salvaged++;
          }
        } catch (MissingDependenciesException | CorruptDataException e) {
          refused++; // A dependency was lost; the change comes back from a peer with it.
        }
      }
    }
    return new Report(aside, found.documents().size(), salvaged, refused, found.unreadable());
  }

  /** Moves the store's files to the first free {@code converge.sqlite.damaged-N}. */
  private static Path moveAside(Path directory) {
    for (int n = 1; ; n++) {
      String base = SqliteStorage.FILE_NAME + ".damaged-" + n;
      if (Files.exists(directory.resolve(base))) {
        continue;
      }
      try {
        for (String suffix : List.of("-wal", "-shm", "")) {
          Path from = directory.resolve(SqliteStorage.FILE_NAME + suffix);
          if (Files.exists(from)) {
            Files.move(from, directory.resolve(base + suffix));
          }
        }
        Path witness = directory.resolve(AckedOffsetWitness.FILE_NAME);
        if (Files.exists(witness)) {
          Files.move(witness, directory.resolve(AckedOffsetWitness.FILE_NAME + ".damaged-" + n));
        }
      } catch (IOException e) {
        throw new StorageException(
            ConvergeException.Kind.INVALID_ARGUMENT,
            "cannot move the damaged store in " + directory + " aside: " + e.getMessage(),
            e);
      }
      return directory.resolve(base);
    }
  }

  private static Found read(Path file, OptionalLong acknowledged, Predicate<String> isDocumentId) {
    Set<String> listed = new TreeSet<>();
    List<Entry> entries = new ArrayList<>();
    int[] unreadable = {0};
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      boolean listReadable = readDocuments(connection, listed);
      Predicate<String> known = listReadable ? listed::contains : isDocumentId;
      long last = scan(connection, entries, known, unreadable);
      if (last >= 0) {
        probe(connection, last, highWater(connection, acknowledged), entries, known, unreadable);
      }
    } catch (SQLException e) {
      // Not even a database any more: nothing to rescue, the peers hold everything.
    }
    Set<String> documents = new TreeSet<>(listed);
    for (Entry entry : entries) {
      documents.add(entry.documentId());
    }
    return new Found(documents, entries, unreadable[0]);
  }

  private static boolean readDocuments(Connection connection, Set<String> listed) {
    try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM docs");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String id = rows.getString(1);
        if (id != null) {
          listed.add(id);
        }
      }
      return true;
    } catch (SQLException e) {
      listed.clear();
      return false; // The list is damaged: each entry's own document name must do.
    }
  }

  /**
   * Reads the log in offset order until its end or the first error; returns -1 when it reached the
   * end, else the last offset read (0 for none).
   */
  private static long scan(
      Connection connection, List<Entry> entries, Predicate<String> known, int[] unreadable) {
    long last = 0;
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT log_offset, doc, hash, bytes FROM log ORDER BY log_offset");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        last = rows.getLong(1);
        keep(rows, entries, known, unreadable);
      }
      return -1;
    } catch (SQLException e) {
      return last; // Damage part-way: read on past it entry by entry.
    }
  }

  /** Reads the entries after {@code last} one offset at a time, up to {@code highWater}. */
  private static void probe(
      Connection connection,
      long last,
      long highWater,
      List<Entry> entries,
      Predicate<String> known,
      int[] unreadable) {
    long end = highWater > last ? highWater : last + PROBE_OFFSETS_MAX;
    for (long offset = last + 1; offset <= end; offset++) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT log_offset, doc, hash, bytes FROM log WHERE log_offset = ?")) {
        statement.setLong(1, offset);
        try (ResultSet rows = statement.executeQuery()) {
          if (rows.next()) {
            keep(rows, entries, known, unreadable);
          }
        }
      } catch (SQLException e) {
        unreadable[0]++;
      }
    }
  }

  private static long highWater(Connection connection, OptionalLong acknowledged) {
    long highWater = acknowledged.orElse(0);
    try {
      highWater = Math.max(highWater, LogSql.highWaterOffset(connection));
    } catch (SQLException e) {
      // Unknown: the probe goes PROBE_OFFSETS_MAX past the last entry read.
    }
    return highWater;
  }

  private static void keep(
      ResultSet rows, List<Entry> entries, Predicate<String> known, int[] unreadable)
      throws SQLException {
    long offset = rows.getLong(1);
    String documentId = rows.getString(2);
    byte[] hash = rows.getBytes(3);
    byte[] bytes = rows.getBytes(4);
    if (documentId == null
        || !known.test(documentId)
        || hash == null
        || hash.length != ChangeHash.LENGTH
        || bytes == null) {
      unreadable[0]++;
      return;
    }
    try {
      ChangeBytes.verify(ChangeHash.of(hash), bytes, "log offset " + offset);
      entries.add(new Entry(offset, documentId, Change.fromBytes(bytes)));
    } catch (ConvergeException e) {
      unreadable[0]++; // Does not match its hash, or does not decode: left for the peers.
    }
  }
}
