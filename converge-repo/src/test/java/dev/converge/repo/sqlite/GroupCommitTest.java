package dev.converge.repo.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CommitOptions;
import dev.converge.core.Document;
import dev.converge.core.MissingDependenciesException;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.LogRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group commit with several pieces of work in one transaction. To make a batch deterministic, the
 * writer thread is held inside a views rebuild (its progress callback waits on a latch) while the
 * test queues appends; released, the writer drains them all into one transaction. Checked: a
 * refused append fails alone and the others are acknowledged with offsets in submission order; the
 * documents' recorded counts and heads (written once per transaction) match the log; the views, fed
 * the committed changes without reading them back, equal a rebuild from the log.
 */
class GroupCommitTest {
  @TempDir Path dir;

  private static final SqliteStorage.Options OPTIONS = SqliteStorage.Options.DEFAULT;

  /** Holds the writer thread until {@link #release}; the log must hold a record. */
  private static final class HeldWriter {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread thread;

    HeldWriter(SqliteStorage storage) throws InterruptedException {
      thread =
          new Thread(
              () ->
                  storage.rebuildViews(
                      (done, total) -> {
                        entered.countDown();
                        try {
                          released.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      thread.start();
      assertTrue(entered.await(10, TimeUnit.SECONDS), "the writer did not start the rebuild");
    }

    void release() throws InterruptedException {
      released.countDown();
      thread.join(10_000);
    }
  }

  private static Change change(Document document, String key, long value) {
    return document.change(CommitOptions.defaults(), tx -> tx.put(ObjId.ROOT, key, value)).get();
  }

  private static Throwable failure(CompletableFuture<?> future) {
    CompletionException thrown = assertThrows(CompletionException.class, future::join);
    return java.util.Objects.requireNonNull(thrown.getCause());
  }

  private static List<ChangeHash> hashes(List<LogRecord> records) {
    List<ChangeHash> hashes = new ArrayList<>();
    for (LogRecord record : records) {
      hashes.add(record.hash());
    }
    return hashes;
  }

  private static long changeCount(SqliteStorage storage, String documentId) {
    Object count =
        storage
            .query("SELECT change_count FROM docs WHERE id = '" + documentId + "'", 1)
            .get(0)
            .get("change_count");
    return ((Number) java.util.Objects.requireNonNull(count)).longValue();
  }

  private static List<Map<String, @Nullable Object>> documentRows(SqliteStorage storage) {
    return storage.query("SELECT id, heads, value, log_offset FROM documents ORDER BY id", 1000);
  }

  @Test
  void batch_refusedAppend_failsAlone_othersAcknowledgedWithOffsetsInOrder() throws Exception {
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.CREATE, OPTIONS)) {
      Document a = Document.create();
      Document b = Document.create();
      Change a1 = change(a, "n", 1);
      storage.append("a", List.of(a1)).join();

      Change a2 = change(a, "n", 2);
      Change a3 = change(a, "n", 3);
      Change b1 = change(b, "n", 1);
      Change b2 = change(b, "n", 2);
      HeldWriter held = new HeldWriter(storage);
      CompletableFuture<Long> appendA2 = storage.append("a", List.of(a2));
      CompletableFuture<Long> refused = storage.append("b", List.of(b2));
      CompletableFuture<Long> appendA3 = storage.append("a", List.of(a3));
      CompletableFuture<Long> appendB1 = storage.append("b", List.of(b1));
      held.release();

      assertInstanceOf(MissingDependenciesException.class, failure(refused));
      long offsetA2 = appendA2.join();
      long offsetA3 = appendA3.join();
      long offsetB1 = appendB1.join();
      assertEquals(List.of(2L, 3L, 4L), List.of(offsetA2, offsetA3, offsetB1));
      List<LogRecord> log = storage.readLog(0, 100);
      assertEquals(List.of(a1.hash(), a2.hash(), a3.hash(), b1.hash()), hashes(log));
      assertEquals(List.of(1L, 2L, 3L, 4L), log.stream().map(LogRecord::offset).toList());
      assertEquals(List.of(a3.hash()), storage.recordedHeads("a"));
      assertEquals(List.of(b1.hash()), storage.recordedHeads("b"));
      assertEquals(3, changeCount(storage, "a"));
      assertEquals(1, changeCount(storage, "b"));
      assertEquals("{\"n\":3}", documentRows(storage).get(0).get("value"));
      assertEquals("{\"n\":1}", documentRows(storage).get(1).get("value"));
    }
  }

  /**
   * No offset may be given twice, whatever became of the entry that had it (consumers keep offsets
   * across restarts). Checked across a duplicate (SQLite's skipped insert still moves the
   * AUTOINCREMENT high-water mark), a refused append rolled back inside a batch, deletes of the
   * entries with the highest offsets, and reopens; a writer that ever chooses offsets itself must
   * keep passing it.
   */
  @Test
  void offsets_afterDuplicateRefusalDeleteAndReopen_areNeverGivenTwice() throws Exception {
    Document a = Document.create();
    Document b = Document.create();
    long highest;
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.CREATE, OPTIONS)) {
      Change a1 = change(a, "n", 1);
      assertEquals(1L, storage.append("a", List.of(a1)).join());
      assertEquals(0L, storage.append("a", List.of(a1)).join(), "a duplicate appends nothing");
      long a2 = storage.append("a", List.of(change(a, "n", 2))).join();
      assertTrue(a2 > 1, "offset " + a2);

      HeldWriter held = new HeldWriter(storage);
      CompletableFuture<Long> appendA3 = storage.append("a", List.of(change(a, "n", 3)));
      Change b1 = change(b, "n", 1);
      CompletableFuture<Long> refused = storage.append("b", List.of(change(b, "n", 2)));
      CompletableFuture<Long> appendB1 = storage.append("b", List.of(b1));
      held.release();
      assertInstanceOf(MissingDependenciesException.class, failure(refused));
      long a3 = appendA3.join();
      long b1Offset = appendB1.join();
      assertTrue(a2 < a3 && a3 < b1Offset, List.of(a2, a3, b1Offset).toString());

      assertTrue(storage.deleteDocument("b").join());
      long a4 = storage.append("a", List.of(change(a, "n", 4))).join();
      assertTrue(a4 > b1Offset, "offset " + a4 + " after the deleted " + b1Offset);
      highest = a4;
    }
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.REFUSE, OPTIONS)) {
      assertTrue(storage.deleteDocument("a").join());
      long c1 = storage.append("c", List.of(change(Document.create(), "n", 1))).join();
      assertTrue(c1 > highest, "offset " + c1 + " after the deleted " + highest);
      assertTrue(storage.deleteDocument("c").join());
      highest = c1;
    }
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.REFUSE, OPTIONS)) {
      long d1 = storage.append("d", List.of(change(Document.create(), "n", 1))).join();
      assertTrue(d1 > highest, "offset " + d1 + " in an emptied log after " + highest);
    }
  }

  /**
   * Appends of one change each (the path without sets): a change that follows the heads becomes the
   * only head, a concurrent one joins them, and a merge replaces both.
   */
  @Test
  void appendOne_concurrentThenMerge_recordsHeadsAndCounts() {
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.CREATE, OPTIONS)) {
      Document a = Document.create();
      Change first = change(a, "n", 1);
      storage.append("a", List.of(first)).join();
      Document b = Document.load(a.save());
      Change fromA = change(a, "x", 2);
      Change fromB = change(b, "y", 3);
      storage.append("a", List.of(fromA)).join();
      assertEquals(List.of(fromA.hash()), storage.recordedHeads("a"));
      storage.append("a", List.of(fromB)).join();
      assertEquals(
          new java.util.TreeSet<>(List.of(fromA.hash(), fromB.hash())),
          new java.util.TreeSet<>(storage.recordedHeads("a")));
      a.applyChanges(List.of(fromB));
      Change merge = change(a, "z", 4);
      assertEquals(2, merge.deps().size());
      storage.append("a", List.of(merge)).join();
      assertEquals(List.of(merge.hash()), storage.recordedHeads("a"));
      assertEquals(4, changeCount(storage, "a"));
      assertEquals(0L, storage.append("a", List.of(fromB)).join(), "a duplicate appends nothing");
      assertEquals(4, changeCount(storage, "a"));
      assertEquals(
          List.of(Map.of("value", a.toJson())),
          storage.query("SELECT value FROM documents WHERE id = 'a'", 1));
    }
  }

  /**
   * Once in one transaction, once with one piece of work per transaction (batchMax 1), so the
   * append of "a" is handed to the views by one commit and deleted by the next before the views
   * step: they must not bring "a" back from what they were handed.
   */
  @Test
  void appendThenDeleteOfOneDocument_viewsForgetIt_andEqualRebuild() throws Exception {
    appendThenDelete(dir.resolve("one-batch"), OPTIONS);
    appendThenDelete(
        dir.resolve("one-per-transaction"),
        new SqliteStorage.Options(1000, 256, 1, 20_000, 0, LostChanges.REFUSE));
  }

  private static void appendThenDelete(Path dir, SqliteStorage.Options options) throws Exception {
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.CREATE, options)) {
      Document a = Document.create();
      Document b = Document.create();
      storage.append("a", List.of(change(a, "n", 1))).join();
      storage.catchUpViews();

      HeldWriter held = new HeldWriter(storage);
      CompletableFuture<Long> appendA = storage.append("a", List.of(change(a, "n", 2)));
      CompletableFuture<Boolean> deleteA = storage.deleteDocument("a");
      CompletableFuture<Long> appendB = storage.append("b", List.of(change(b, "n", 7)));
      held.release();
      appendA.join();
      assertTrue(deleteA.join());
      appendB.join();

      List<Map<String, @Nullable Object>> rows = documentRows(storage);
      assertEquals(1, rows.size());
      assertEquals("b", rows.get(0).get("id"));
      storage.rebuildViews((done, total) -> {});
      assertEquals(rows, documentRows(storage));
    }
  }

  /**
   * The views consume handed-over entries from the start of a fresh log; a rebuild then starts from
   * offset 0 again, while an entry handed over is still waiting, and must read the entries already
   * consumed back from the file. One piece of work per transaction, and the writer held while the
   * append and the rebuild are queued, so no idle step of the views comes between them.
   */
  @Test
  void rebuild_afterStepsOverHandedOverEntries_readsTheFile_givesIdenticalRows() throws Exception {
    SqliteStorage.Options onePerTransaction =
        new SqliteStorage.Options(1000, 256, 1, 20_000, 0, LostChanges.REFUSE);
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.CREATE, onePerTransaction)) {
      Document a = Document.create();
      Document b = Document.create();
      storage.append("a", List.of(change(a, "n", 1))).join();
      storage.catchUpViews();
      HeldWriter held = new HeldWriter(storage);
      CompletableFuture<Long> appendB = storage.append("b", List.of(change(b, "n", 2)));
      Thread rebuild = new Thread(() -> storage.rebuildViews((done, total) -> {}));
      rebuild.start();
      Thread.sleep(200);
      held.release();
      appendB.join();
      rebuild.join(10_000);
      List<Map<String, @Nullable Object>> rows = documentRows(storage);
      assertEquals(
          List.of("a", "b"), rows.stream().map(row -> String.valueOf(row.get("id"))).toList());
      storage.rebuildViews((done, total) -> {});
      assertEquals(rows, documentRows(storage));
    }
  }

  private static java.util.Set<Thread> viewsThreads() {
    java.util.Set<Thread> threads = new java.util.HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("converge-sqlite-views") && thread.isAlive()) {
        threads.add(thread);
      }
    }
    return threads;
  }

  /**
   * Transactions that continue what the views hold are applied ahead on the views' own thread: it
   * starts with the first such commit, the rows it leads to equal the documents and a rebuild, and
   * it ends with the store.
   */
  @Test
  void views_applyCommittedTransactionsAhead_onTheirOwnThread_untilClose() throws Exception {
    Document a = Document.create();
    java.util.Set<Thread> started;
    java.util.Set<Thread> before = viewsThreads();
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.CREATE, OPTIONS)) {
      storage.append("a", List.of(change(a, "n", 0))).join();
      storage.catchUpViews();
      for (int n = 1; n <= 20; n++) {
        storage.append("a", List.of(change(a, "n", n))).join();
      }
      started = viewsThreads();
      started.removeAll(before);
      assertEquals(1, started.size(), "views threads started by this store: " + started);
      assertEquals(a.toJson(), documentRows(storage).get(0).get("value"));
      List<Map<String, @Nullable Object>> rows = documentRows(storage);
      storage.rebuildViews((done, total) -> {});
      assertEquals(rows, documentRows(storage));
    }
    Thread views = started.iterator().next();
    views.join(10_000);
    assertTrue(!views.isAlive(), "the views thread outlived the store");
  }

  /**
   * Seeded random batches over a few documents, with small caches (the recorded heads of a document
   * leave the cache while its row waits for the commit), a small view lag (the views step between
   * batches, from handed-over changes), refused appends, deletes and queries mid-stream. Afterwards
   * every document's recorded count and heads equal its log, and the views equal a rebuild. The
   * views apply most transactions ahead on their own thread (the documents that are not cached are
   * loaded by the step instead), so the seeds also cover deletes and refusals meeting that.
   */
  @ParameterizedTest
  @ValueSource(longs = {20_261_129L, 1, 2, 3, 4, 5, 6, 7})
  void randomBatches_recordedDocumentsMatchLog_andViewsEqualRebuild(long seed) throws Exception {
    SqliteStorage.Options small = new SqliteStorage.Options(2, 4, 3, 5, 0, LostChanges.REFUSE);
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    try (SqliteStorage storage = SqliteStorage.open(dir, IfMissing.CREATE, small)) {
      List<Document> documents = new ArrayList<>();
      List<CompletableFuture<?>> acknowledged = new ArrayList<>();
      List<CompletableFuture<?>> refusals = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        documents.add(Document.create());
      }
      // Never deleted, so the log always holds a record for HeldWriter's rebuild to step over.
      // batchMax 3: a held round runs as several transactions back to back.
      storage.append("keep", List.of(change(Document.create(), "n", 0))).join();
      for (int round = 0; round < 40; round++) {
        HeldWriter held = round % 2 == 0 ? new HeldWriter(storage) : null;
        int pieces = 1 + random.nextInt(12);
        for (int piece = 0; piece < pieces; piece++) {
          int index = random.nextInt(documents.size());
          String id = "d" + index;
          Document document = documents.get(index);
          int kind = random.nextInt(20);
          if (kind == 0) {
            Change skipped = change(document, "s", round);
            Change dependent = change(document, "t", round);
            refusals.add(storage.append(id, List.of(dependent)));
            acknowledged.add(storage.append(id, List.of(skipped, dependent)));
          } else if (kind == 1 && round < 35) {
            acknowledged.add(storage.deleteDocument(id));
            documents.set(index, Document.create());
          } else {
            List<Change> changes = new ArrayList<>();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
              changes.add(change(document, "k" + random.nextInt(4), random.nextInt(100)));
            }
            acknowledged.add(storage.append(id, changes));
          }
        }
        if (held != null) {
          held.release();
        }
        if (random.nextInt(4) == 0) {
          storage.catchUpViews();
        }
      }
      for (CompletableFuture<?> future : acknowledged) {
        future.join();
      }
      for (CompletableFuture<?> future : refusals) {
        assertInstanceOf(MissingDependenciesException.class, failure(future));
      }

      for (int index = 0; index < documents.size(); index++) {
        String id = "d" + index;
        List<LogRecord> log = storage.readDocument(id, 0);
        if (log.isEmpty()) {
          continue;
        }
        assertEquals(log.size(), changeCount(storage, id), id);
        assertEquals(
            new java.util.TreeSet<>(LogState.countLog(log).heads()),
            new java.util.TreeSet<>(storage.recordedHeads(id)),
            id);
        assertEquals(
            List.of(Map.of("value", documents.get(index).toJson())),
            storage.query("SELECT value FROM documents WHERE id = '" + id + "'", 1),
            id);
      }
      List<Map<String, @Nullable Object>> rows = documentRows(storage);
      storage.rebuildViews((done, total) -> {});
      assertEquals(rows, documentRows(storage));
    }
  }
}
