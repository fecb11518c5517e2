package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.UnsupportedSchemaVersionException;
import dev.converge.repo.sqlite.IfMissing;
import dev.converge.repo.sqlite.SqliteStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad stores and bad locations: each gives a typed error and changes nothing. Damage is made with
 * plain JDBC on a closed store (a tampered change blob, an unknown schema version) or by writing
 * bytes over the file; "changed nothing" is checked by comparing the file's bytes.
 */
class RepoFaultTest {
  @TempDir Path dir;

  private DocumentId seed() {
    try (Repo repo = Repo.open(dir, RepoOptions.defaults().withRandom(new SplittableRandom(3)))) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "title", "hello"));
      handle.whenDurable().join();
      return handle.id();
    }
  }

  private void sql(String statement, byte[]... parameters) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
        PreparedStatement prepared = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        prepared.setBytes(i + 1, parameters[i]);
      }
      prepared.executeUpdate();
    }
  }

  @Test
  void tamperedChangeBlob_isDetectedOnRead() throws SQLException {
    DocumentId id = seed();
    byte[] bytes;
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
        Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery("SELECT bytes FROM log")) {
      rows.next();
      bytes = rows.getBytes(1);
    }
    // Flip one bit in the change's body; SQLite itself does not notice.
    bytes[bytes.length / 2] ^= 0x01;
    sql("UPDATE log SET bytes = ? WHERE log_offset = 1", bytes);
    try (Repo repo = Repo.open(dir)) {
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> repo.find(id));
      assertEquals(ConvergeException.Kind.CORRUPT_DATA, e.kind());
      assertThrows(CorruptStoreException.class, () -> repo.changes().read(0, 10));
    }
  }

  @Test
  void unknownSchemaVersion_isTypedAndFileUnchanged() throws Exception {
    seed();
    sql("UPDATE meta SET value = 99 WHERE key = 'schema_version'");
    byte[] before = Files.readAllBytes(dir.resolve(SqliteStorage.FILE_NAME));
    UnsupportedSchemaVersionException e =
        assertThrows(UnsupportedSchemaVersionException.class, () -> Repo.open(dir));
    assertEquals(99, e.found());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve(SqliteStorage.FILE_NAME)));
  }

  @Test
  void notADatabase_isCorruptStore() throws IOException {
    Files.write(
        dir.resolve(SqliteStorage.FILE_NAME),
        "this is not sqlite at all, just text"
            .repeat(200)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] before = Files.readAllBytes(dir.resolve(SqliteStorage.FILE_NAME));
    assertThrows(CorruptStoreException.class, () -> Repo.open(dir));
    assertArrayEquals(before, Files.readAllBytes(dir.resolve(SqliteStorage.FILE_NAME)));
  }

  @Test
  void missingRepository_withoutCreate_isInvalidArgument() {
    StorageException e =
        assertThrows(
            StorageException.class,
            () ->
                Repo.open(
                    dir.resolve("nope"), RepoOptions.defaults().withIfMissing(IfMissing.REFUSE)));
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
  }

  /**
   * A directory nobody may write in. Permissions do not stop root, so when the test runs as root
   * the directory is also made immutable ({@code chattr +i}, which stops root too); either way the
   * test checks that the directory really is read-only before it opens a repository there.
   */
  @Test
  void readOnlyDirectory_isInvalidArgument() throws Exception {
    Path readOnly = dir.resolve("ro");
    Files.createDirectory(readOnly);
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    boolean immutable = false;
    try {
      if (Files.isWritable(readOnly)) {
        immutable = chattr("+i", readOnly);
      }
      assertFalse(
          Files.isWritable(readOnly),
          "could not make " + readOnly + " read-only (chmod, and chattr +i as root)");
      StorageException e = assertThrows(StorageException.class, () -> Repo.open(readOnly));
      assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
      try (var entries = Files.list(readOnly)) {
        assertEquals(0, entries.count());
      }
    } finally {
      if (immutable) {
        chattr("-i", readOnly);
      }
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static boolean chattr(String flag, Path path) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("chattr", flag, path.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return process.waitFor() == 0;
  }

  /**
   * Disk full, made deterministic with a size limit on the store ({@code PRAGMA max_page_count}):
   * every write past the limit fails with LIMIT_EXCEEDED, nothing acknowledged is lost, reads keep
   * working, and after the limit is raised (space returns) the repository reopens with everything
   * and takes writes again.
   */
  @Test
  void diskFull_typedError_nothingAcknowledgedLost_writesResumeWhenSpaceReturns() {
    RepoOptions small =
        RepoOptions.defaults()
            .withRandom(new SplittableRandom(5))
            .withStorage(SqliteStorage.Options.DEFAULT.withStoreBytesMax(192 * 1024));
    List<ChangeHash> acknowledged = new ArrayList<>();
    DocumentId id;
    String filler = "x".repeat(2000);
    try (Repo repo = Repo.open(dir, small)) {
      DocHandle handle = repo.create();
      id = handle.id();
      StorageException full = null;
      for (int i = 0; i < 1000 && full == null; i++) {
        int n = i;
        Change change = handle.change(tx -> tx.put(ObjId.ROOT, "k" + n, filler + n)).orElseThrow();
        try {
          Futures.join(handle.whenDurable());
          acknowledged.add(change.hash());
        } catch (StorageException e) {
          full = e;
        }
      }
      assertNotNull(full, "the store never filled up");
      assertEquals(ConvergeException.Kind.LIMIT_EXCEEDED, full.kind(), full.toString());
      assertTrue(acknowledged.size() > 10, "only " + acknowledged.size() + " changes fitted");
      assertThrows(ConvergeException.class, () -> handle.change(tx -> tx.put(ObjId.ROOT, "a", 1)));
      // Reads keep working, and hold every acknowledged change.
      DocHandle reloaded = repo.find(id).orElseThrow();
      assertTrue(hashes(reloaded).containsAll(acknowledged));
      StorageException again =
          assertThrows(
              StorageException.class,
              () -> {
                reloaded.change(tx -> tx.put(ObjId.ROOT, "more", filler));
                Futures.join(reloaded.whenDurable());
              });
      assertEquals(ConvergeException.Kind.LIMIT_EXCEEDED, again.kind(), again.toString());
    }
    try (Repo repo = Repo.open(dir, RepoOptions.defaults())) {
      DocHandle handle = repo.find(id).orElseThrow();
      assertEquals(Set.copyOf(acknowledged), hashes(handle));
      handle.change(tx -> tx.put(ObjId.ROOT, "after", "space returned"));
      Futures.join(handle.whenDurable());
      assertEquals(acknowledged.size() + 1, repo.changes().read(0, 10_000).size());
    }
  }

  private static Set<ChangeHash> hashes(DocHandle handle) {
    Set<ChangeHash> hashes = new HashSet<>();
    for (Change change : handle.changes()) {
      hashes.add(change.hash());
    }
    return hashes;
  }

  @Test
  void closedRepo_refusesWrites() {
    Repo repo = Repo.open(dir);
    DocHandle handle = repo.create();
    repo.close();
    handle.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    assertThrows(StorageException.class, () -> Futures.join(handle.whenDurable()));
    assertThrows(ConvergeException.class, () -> handle.change(tx -> tx.put(ObjId.ROOT, "a", 2)));
  }

  @Test
  void inMemoryRepo_behavesLikeSqlite() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      handle.whenDurable().join();
      assertEquals(1, repo.changes().read(0, 10).size());
      assertEquals("{\"a\":1}", repo.find(handle.id()).orElseThrow().toJson());
    }
  }
}
