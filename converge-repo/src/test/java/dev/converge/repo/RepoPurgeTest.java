package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Change;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.repo.spi.PurgedDocumentException;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purge on a real SQLite store. The canary tests write a string that occurs nowhere else into a
 * document (as a map value, in a text object, in a view column and so in the full-text index), edit
 * the document further so that earlier versions of its snapshot and view rows were replaced, check
 * that a byte scan of the directory finds the string (so the scan can fail), purge, and check that
 * the scan finds it in no file, with the store open and after closing it.
 */
class RepoPurgeTest {
  private static final String CANARY = "zqcanary7193xv";

  @TempDir Path dir;

  private RepoOptions options() {
    return RepoOptions.defaults().withRandom(new SplittableRandom(20));
  }

  @Test
  void purge_canaryInDocument_foundBeforeAndInNoFileAfter() {
    DocumentId doomedId;
    DocumentId keepId;
    try (Repo repo = Repo.open(dir, options())) {
      repo.views()
          .orElseThrow()
          .defineView(
              new ViewDefinition("notes", "$.secret", Optional.empty(), Map.of("s", "$.secret")));
      DocHandle keep = repo.create();
      keep.change(tx -> tx.put(ObjId.ROOT, "secret", "ordinary words"));
      keepId = keep.id();
      doomedId = writeCanary(repo).id();
      repo.views().orElseThrow().query("SELECT count(*) FROM documents", 1); // views up to date
    }
    // Closing checkpointed the WAL into the file: the canary's versions are in the file now, and
    // the edits below put newer ones in the WAL.
    try (Repo repo = Repo.open(dir, options())) {
      ViewStore views = repo.views().orElseThrow();
      DocHandle keep = repo.find(keepId).orElseThrow();
      DocHandle doomed = repo.find(doomedId).orElseThrow();
      for (int i = 0; i < 50; i++) {
        int n = i;
        doomed.change(tx -> tx.put(ObjId.ROOT, "n", n));
      }
      doomed.whenDurable().join();
      views.query("SELECT count(*) FROM documents", 1);
      Map<String, Integer> before = CanaryScan.occurrences(dir, CANARY);
      assertFalse(before.isEmpty(), "the canary must be found before the purge");

      assertTrue(repo.purge(doomed.id()));

      assertEquals(Map.of(), CanaryScan.occurrences(dir, CANARY), "before " + before);
      assertEquals(List.of(keep.id()), repo.list());
      assertEquals("{\"secret\":\"ordinary words\"}", repo.find(keep.id()).orElseThrow().toJson());
      assertEquals(
          List.of(Map.of("s", "ordinary words")), views.query("SELECT s FROM view_notes", 10));
      assertEquals(
          List.of(),
          views.query(
              "SELECT doc FROM documents_fts WHERE documents_fts MATCH '" + CANARY + "'", 10));
    }
    assertEquals(Map.of(), CanaryScan.occurrences(dir, CANARY));
  }

  private static DocHandle writeCanary(Repo repo) {
    DocHandle doomed = repo.create();
    doomed.change(tx -> tx.put(ObjId.ROOT, "secret", CANARY));
    doomed.change(
        tx -> {
          ObjId text = tx.putObject(ObjId.ROOT, "body", ObjType.TEXT);
          tx.splice(text, 0, 0, "before " + CANARY + " after");
        });
    for (int i = 0; i < 300; i++) {
      int n = i;
      doomed.change(tx -> tx.put(ObjId.ROOT, "n", n));
    }
    doomed.whenDurable().join();
    return doomed;
  }

  @Test
  void purge_thenSyncOfOldChanges_refusedAndNothingWritten() {
    List<Change> old;
    DocumentId id;
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle doomed = writeCanary(repo);
      id = doomed.id();
      old = doomed.changes();
      repo.purge(id);
      assertThrows(PurgedDocumentException.class, () -> repo.findOrCreate(id));
      assertThrows(PurgedDocumentException.class, () -> repo.findOrPrepare(id));
      assertTrue(repo.isPurged(id));
      assertEquals(Optional.empty(), repo.find(id));
    }
    try (Repo repo = Repo.open(dir, options())) {
      assertTrue(repo.isPurged(id), "the tombstone survives a reopen");
      assertThrows(PurgedDocumentException.class, () -> repo.findOrCreate(id));
      assertEquals(List.of(), repo.list());
      assertEquals(0, repo.changes().read(0, 10).size());
      assertFalse(old.isEmpty());
    }
    assertEquals(Map.of(), CanaryScan.occurrences(dir, CANARY));
  }

  @Test
  void purge_handleStillHeld_nextWriteRefused() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle held = repo.create();
      held.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      held.whenDurable().join();
      repo.purge(held.id());
      held.change(tx -> tx.put(ObjId.ROOT, "a", 2));
      Throwable failure = assertThrows(Exception.class, () -> held.whenDurable().join()).getCause();
      assertTrue(failure instanceof PurgedDocumentException, String.valueOf(failure));
      assertEquals(List.of(), repo.list());
    }
  }

  @Test
  void purge_unknownId_falseAndRemembered() {
    try (Repo repo = Repo.open(dir, options())) {
      DocumentId never = DocumentId.random(new SplittableRandom(3));
      assertFalse(repo.purge(never));
      assertTrue(repo.isPurged(never));
      assertThrows(PurgedDocumentException.class, () -> repo.findOrCreate(never));
    }
  }

  /**
   * A version 2 store ran without {@code secure_delete}: a row dropped then left its bytes in free
   * pages. The upgrade marks the store, and its first purge rebuilds the file, so the residue goes
   * too.
   */
  @Test
  void purge_storeUpgradedFromVersion2_firstPurgeWipesOldFreeSpace() throws Exception {
    DocumentId id;
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      handle.whenDurable().join();
      id = handle.id();
    }
    String residue = "zqresidue4242" + "x".repeat(5000);
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("converge.sqlite"));
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE purged");
      statement.execute("DROP TABLE forwards");
      statement.execute("DROP TABLE replicas");
      statement.execute("DROP TABLE touched");
      statement.execute("DELETE FROM meta WHERE key = 'vacuum_before_purge'");
      statement.execute("UPDATE meta SET value = 2 WHERE key = 'schema_version'");
      statement.execute("CREATE TABLE scratch(t TEXT)");
      statement.execute("INSERT INTO scratch VALUES ('" + residue + "')");
      statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      statement.execute("DROP TABLE scratch");
      statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    assertFalse(CanaryScan.occurrences(dir, "zqresidue4242").isEmpty(), "residue planted");
    try (Repo repo = Repo.open(dir, options())) {
      assertEquals(List.of(id), repo.list());
      assertTrue(repo.purge(id));
      assertEquals(Map.of(), CanaryScan.occurrences(dir, "zqresidue4242"));
      assertEquals(
          List.of(Map.of("value", 4)),
          repo.views()
              .orElseThrow()
              .query("SELECT value FROM meta WHERE key = 'schema_version'", 1));
    }
  }

  @Test
  void purge_inMemory_forgetsAndRefuses() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle doomed = repo.create();
      doomed.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      List<Change> old = doomed.changes();
      assertTrue(repo.purge(doomed.id()));
      assertEquals(List.of(), repo.list());
      assertThrows(PurgedDocumentException.class, () -> repo.findOrCreate(doomed.id()));
      assertFalse(old.isEmpty());
    }
  }
}
