package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.LoadOptions;
import dev.converge.core.ObjId;
import dev.converge.repo.sqlite.IfMissing;
import dev.converge.repo.sqlite.SqliteStorage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DocHandle#applyConsumed}: changes consumed from an outside log (a Kafka partition) are
 * stored with the consumer's offset in one SQLite transaction. Each test reopens the store to see
 * what reached the file; the source of the changes is a second, in-memory repository.
 */
class ApplyConsumedTest {
  private static final String CONSUMER = "kafka:changes:0";

  @TempDir Path dir;

  private static DocumentId id(int seed) {
    byte[] bytes = new byte[16];
    new SplittableRandom(seed).nextBytes(bytes);
    return DocumentId.of(bytes);
  }

  private static byte[] chunks(List<Change> changes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Change change : changes) {
      change.writeTo(out);
    }
    return out.toByteArray();
  }

  private static List<Change> someChanges(DocumentId id, int count) {
    try (Repo source = Repo.inMemory()) {
      DocHandle handle = source.findOrCreate(id);
      for (int i = 0; i < count; i++) {
        int value = i;
        handle.change(tx -> tx.put(ObjId.ROOT, "n", value));
      }
      return handle.changes();
    }
  }

  @Test
  void applyConsumed_newChanges_storesChangesAndOffsetTogether() {
    DocumentId id = id(1);
    List<Change> changes = someChanges(id, 3);
    try (SqliteStorage storage =
            SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT);
        Repo repo = Repo.open(storage, RepoOptions.defaults())) {
      List<Change> added =
          repo.findOrPrepare(id).applyConsumed(chunks(changes), LoadOptions.DEFAULT, CONSUMER, 42);
      assertEquals(3, added.size());
      repo.findOrPrepare(id).whenDurable().join();
    }
    try (SqliteStorage storage =
            SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT);
        Repo repo = Repo.open(storage, RepoOptions.defaults())) {
      assertEquals(42, storage.consumerOffset(CONSUMER));
      assertEquals("{\"n\":2}", repo.find(id).orElseThrow().toJson());
    }
  }

  @Test
  void applyConsumed_redelivery_movesOnlyTheOffset() {
    DocumentId id = id(2);
    byte[] chunks = chunks(someChanges(id, 2));
    try (SqliteStorage storage =
            SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT);
        Repo repo = Repo.open(storage, RepoOptions.defaults())) {
      DocHandle handle = repo.findOrPrepare(id);
      handle.applyConsumed(chunks, LoadOptions.DEFAULT, CONSUMER, 5);
      handle.whenDurable().join();
      long endBefore = storage.endOffset();
      byte[] saved = handle.save();

      List<Change> added = handle.applyConsumed(chunks, LoadOptions.DEFAULT, CONSUMER, 9);
      handle.whenDurable().join();

      assertTrue(added.isEmpty());
      assertEquals(endBefore, storage.endOffset());
      assertEquals(9, storage.consumerOffset(CONSUMER));
      assertArrayEquals(saved, handle.save());
    }
  }

  @Test
  void applyConsumed_garbage_isRefusedAndStoresNoOffset() {
    DocumentId id = id(3);
    try (SqliteStorage storage =
            SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT);
        Repo repo = Repo.open(storage, RepoOptions.defaults())) {
      DocHandle handle = repo.findOrPrepare(id);
      byte[] garbage = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83, 1, 2, 3};
      assertThrows(
          ConvergeException.class,
          () -> handle.applyConsumed(garbage, LoadOptions.DEFAULT, CONSUMER, 7));
      storage.flush().join();
      assertEquals(0, storage.consumerOffset(CONSUMER));
      assertEquals(List.of(), repo.list());
    }
  }
}
