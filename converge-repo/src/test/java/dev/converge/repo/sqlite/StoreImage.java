package dev.converge.repo.sqlite;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.repo.DocumentId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sqlite.SQLiteConfig;

/**
 * A repository's files between runs, made the same way every time: the store (main file and WAL)
 * and the witness beside it, with the documents they hold, for fault injection.
 *
 * <p>How: documents with fixed actors and a fixed clock make the same changes every time; they are
 * appended by {@link LogState} and consumed by {@link ViewMaintainer} on one connection, driven on
 * the calling thread in the order the writer thread would (commits, handed-over entries, view steps
 * with snapshots), so the main file is the same bytes each time (the WAL differs only in the random
 * salts SQLite writes into its header and frame checksums). Half-way the WAL is checkpointed into
 * the main file, so both hold changes; the store is closed while another connection holds it open,
 * which keeps SQLite from checkpointing the rest, as after a process that stopped with a WAL
 * pending. {@link #CLEAN} is marked closed; {@link #UNCLEAN} is marked open, as after a crash, so
 * an open runs the checks of an unclean shutdown.
 */
final class StoreImage {
  static final String CLEAN = "clean";
  static final String UNCLEAN = "unclean";

  /** The files of a store, in the order a copy takes them. */
  static final List<String> FILES =
      List.of(
          SqliteStorage.FILE_NAME, SqliteStorage.FILE_NAME + "-wal", AckedOffsetWitness.FILE_NAME);

  private static final int DOCUMENTS = 6;
  private static final int ROUNDS = 40;

  /** What the store holds: per document, its changes by hash, and its value. */
  record Truth(Map<DocumentId, Map<ChangeHash, Change>> changes, Map<DocumentId, String> values) {}

  private StoreImage() {}

  /** Writes both images under {@code root} ({@code root/clean}, {@code root/unclean}). */
  static Truth write(Path root) throws IOException, SQLException {
    Path build = root.resolve("build");
    Files.createDirectories(build);
    Built built = build(build);
    Truth truth = built.truth();
    try (Connection holder = built.holder()) {
      copy(build, root.resolve(CLEAN));
      try (Statement statement = holder.createStatement()) {
        statement.execute("UPDATE meta SET value = 1 WHERE key = 'open'");
      }
      holder.commit();
      copy(build, root.resolve(UNCLEAN));
    }
    return truth;
  }

  /** Copies a store's files to {@code to}, which must not exist yet. */
  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (String name : FILES) {
      Path file = from.resolve(name);
      if (Files.exists(file)) {
        Files.copy(file, to.resolve(name));
      }
    }
  }

  private static Connection connect(Path directory) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    Connection connection =
        config.createConnection("jdbc:sqlite:" + directory.resolve(SqliteStorage.FILE_NAME));
    connection.setAutoCommit(false);
    return connection;
  }

  /** The truth, and a connection that holds the store open and has read it. */
  private record Built(Truth truth, Connection holder) {}

  private static Built build(Path directory) throws SQLException {
    Connection holder;
    SplittableRandom random = new SplittableRandom(20_261_207L);
    Map<DocumentId, Document> documents = new LinkedHashMap<>();
    for (int d = 0; d < DOCUMENTS; d++) {
      long[] now = {1_700_000_000_000L};
      Document document =
          Document.create(ActorId.of(new byte[] {(byte) d, 7, 7, 7}), () -> now[0] += 1_000);
      documents.put(DocumentId.random(random), document);
    }
    try (Connection connection = connect(directory)) {
      Schema.createOrCheck(connection);
      Connection aheadReader = connect(directory);
      aheadReader.setAutoCommit(true);
      ViewMaintainer views = new ViewMaintainer(connection, aheadReader, 4, 8, 4096, 4096);
      try (LogState log = new LogState(connection, views, 4)) {
        for (int round = 0; round < ROUNDS; round++) {
          log.beginWork();
          for (Map.Entry<DocumentId, Document> entry : documents.entrySet()) {
            log.append(entry.getKey().toString(), List.of(edit(entry.getValue(), round, random)));
          }
          log.writeDocuments();
          connection.commit();
          log.transactionCommitted();
          if (round % 3 == 2) {
            views.step(SnapshotPolicy.Pace.UNDER_LOAD);
            connection.commit();
          }
          if (round == ROUNDS / 2) {
            try (Statement statement = connection.createStatement()) {
              statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
          }
        }
        views.catchUp();
        views.writeDueSnapshots(DOCUMENTS);
        connection.commit();
        new AckedOffsetWitness(directory).write(log.endOffset());
      } finally {
        views.close();
      }
      // A second connection that has read the store keeps this one's close from checkpointing it.
      holder = connect(directory);
      try (Statement statement = holder.createStatement()) {
        statement.executeQuery("SELECT count(*) FROM log").close();
      }
    }
    Map<DocumentId, Map<ChangeHash, Change>> changes = new LinkedHashMap<>();
    Map<DocumentId, String> values = new LinkedHashMap<>();
    for (Map.Entry<DocumentId, Document> entry : documents.entrySet()) {
      Map<ChangeHash, Change> byHash = new LinkedHashMap<>();
      for (Change change : entry.getValue().changes()) {
        byHash.put(change.hash(), change);
      }
      changes.put(entry.getKey(), byHash);
      values.put(entry.getKey(), entry.getValue().toJson());
    }
    return new Built(new Truth(changes, values), holder);
  }

  /** One change: a counter-like key, a text splice, and now and then a long paragraph. */
  private static Change edit(Document document, int round, SplittableRandom random) {
    StringBuilder words = new StringBuilder();
    int length = round % 10 == 9 ? 3_000 : 1 + random.nextInt(40);
    for (int i = 0; i < length; i++) {
      words.append((char) ('a' + random.nextInt(26)));
    }
    java.util.Optional<ObjId> existing = document.objectAt(ObjId.ROOT, "text");
    return document
        .change(
            tx -> {
              ObjId text =
                  existing.isPresent()
                      ? existing.get()
                      : tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
              tx.put(ObjId.ROOT, "k" + (round % 5), round);
              tx.splice(text, 0, 0, words.toString());
            })
        .orElseThrow();
  }

  /** Every change of every document, by hash. */
  static Map<ChangeHash, Change> allChanges(Truth truth) {
    Map<ChangeHash, Change> all = new LinkedHashMap<>();
    for (Map<ChangeHash, Change> changes : truth.changes().values()) {
      all.putAll(changes);
    }
    return all;
  }

  /** The document IDs, in the order they were made. */
  static List<DocumentId> ids(Truth truth) {
    return new ArrayList<>(truth.changes().keySet());
  }
}
