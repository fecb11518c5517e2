package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.sqlite.SqliteStorage;
import dev.converge.repo.sqlite.StoreSalvage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store SQLite itself finds malformed is salvaged: moved aside, what can be read and verified
 * kept in a fresh store, the rest synced back from a peer.
 *
 * <p>How: one document with many changes, so the log spans many pages; the store is closed, and a
 * page in the middle of the file is overwritten with garbage, as a lost sector would leave it.
 */
class RepoSalvageTest {
  private static final int CHANGES = 300;
  private static final int PAGE_BYTES = 4096;

  @TempDir Path dir;

  @Test
  void salvage_malformedStore_keepsWhatVerifies_andAPeerSyncsBackTheRest() throws IOException {
    DocumentId id = DocumentId.random(new SplittableRandom(31));
    byte[] peerCopy;
    try (Repo repo = Repo.open(dir)) {
      DocHandle handle = repo.findOrCreate(id);
      for (int i = 0; i < CHANGES; i++) {
        int n = i;
        handle.change(tx -> tx.put(ObjId.ROOT, "k" + (n % 7), "value " + n + "x".repeat(200)));
      }
      Futures.join(handle.whenDurable());
      peerCopy = handle.save();
    }
    Path file = dir.resolve(SqliteStorage.FILE_NAME);
    long page = pageHolding(file, Document.load(peerCopy).changes().get(CHANGES / 2).toBytes());
    try (RandomAccessFile access = new RandomAccessFile(file.toFile(), "rw")) {
      access.seek(page * PAGE_BYTES);
      byte[] garbage = new byte[PAGE_BYTES];
      new SplittableRandom(32).nextBytes(garbage);
      access.write(garbage);
    }
    assertThrows(CorruptStoreException.class, () -> openAndReadAll(id));

    StoreSalvage.Report report = Repo.salvage(dir, RepoOptions.defaults());
    assertTrue(Files.exists(report.damagedFile()), report.toString());
    assertEquals(1, report.documents(), report.toString());
    assertTrue(report.changesSalvaged() > 0, report.toString());
    assertTrue(report.changesSalvaged() < CHANGES, report.toString());

    try (Repo repo = Repo.open(dir)) {
      DocHandle handle = repo.find(id).orElseThrow();
      assertEquals(report.changesSalvaged(), handle.changes().size());
      for (Change change : handle.changes()) {
        assertTrue(Document.load(peerCopy).hasChange(change.hash()));
      }
      handle.applyChanges(Document.load(peerCopy).changes());
      Futures.join(handle.whenDurable());
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals(Document.load(peerCopy).toJson(), repo.find(id).orElseThrow().toJson());
      assertEquals(CHANGES, repo.changes().read(0, 10 * CHANGES).size());
    }
  }

  /** The page of {@code file} where {@code bytes} (a change as the log stores it) begins. */
  private static long pageHolding(Path file, byte[] bytes) throws IOException {
    byte[] content = Files.readAllBytes(file);
    outer:
    for (int i = 0; i + bytes.length <= content.length; i++) {
      for (int j = 0; j < bytes.length; j++) {
        if (content[i + j] != bytes[j]) {
          continue outer;
        }
      }
      return i / PAGE_BYTES;
    }
    throw new AssertionError("the change is not stored whole in one place of " + file);
  }

  private void openAndReadAll(DocumentId id) {
    try (Repo repo = Repo.open(dir)) {
      repo.find(id);
      repo.changes().read(0, 10 * CHANGES);
    }
  }
}
