package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.ConvergeException;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.UnsupportedSchemaVersionException;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
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
            () -> Repo.open(dir.resolve("nope"), RepoOptions.defaults().withCreate(false)));
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
  }

  @Test
  void readOnlyDirectory_isInvalidArgument() throws IOException {
    Path readOnly = dir.resolve("ro");
    Files.createDirectory(readOnly);
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Assumptions.assumeFalse(Files.isWritable(readOnly), "running as a user who can write anyway");
      StorageException e = assertThrows(StorageException.class, () -> Repo.open(readOnly));
      assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
    } finally {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
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
