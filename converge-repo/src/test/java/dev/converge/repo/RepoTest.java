package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.MissingDependenciesException;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.Patch;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository on a real SQLite file in a temporary directory: documents survive a reopen, the
 * change stream resumes where a named consumer stopped, and views rebuilt from the log equal the
 * incrementally maintained ones. IDs come from a seeded random.
 */
class RepoTest {
  @TempDir Path dir;

  private RepoOptions options() {
    return RepoOptions.defaults().withRandom(new SplittableRandom(7));
  }

  @Test
  void change_thenReopen_documentIsThere() {
    DocumentId id;
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      id = handle.id();
      handle.change(tx -> tx.put(ObjId.ROOT, "title", "hello"));
      handle.change(tx -> tx.put(ObjId.ROOT, "count", 3));
      handle.whenDurable().join();
    }
    try (Repo repo = Repo.open(dir, options())) {
      assertEquals(List.of(id), repo.list());
      DocHandle handle = repo.find(id).orElseThrow();
      assertEquals("{\"count\":3,\"title\":\"hello\"}", handle.toJson());
      assertEquals(2, handle.changes().size());
    }
  }

  @Test
  void reopen_newSession_writesWithFreshActor() {
    DocumentId id;
    ActorId first;
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      id = handle.id();
      first = handle.change(tx -> tx.put(ObjId.ROOT, "a", 1)).orElseThrow().actor();
      handle.whenDurable().join();
    }
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.find(id).orElseThrow();
      Change second = handle.change(tx -> tx.put(ObjId.ROOT, "a", 2)).orElseThrow();
      assertNotEquals(first, second.actor());
      assertEquals(1, second.seq());
    }
  }

  /**
   * Issue 15, item 10: with {@link RepoOptions#withActor}, each document's first handle continues
   * that actor's seqs across sessions; a second handle of the same document in one repository
   * object (here made by a repair, as after an eviction) takes a fresh actor, since the first may
   * still be held.
   */
  @Test
  void withActor_reopen_continuesSeqs_andASecondHandleGetsAFreshActor() {
    ActorId actor = ActorId.fromHex("0123456789abcdef0123456789abcdef");
    DocumentId id;
    try (Repo repo = Repo.open(dir, options().withActor(actor))) {
      DocHandle handle = repo.create();
      id = handle.id();
      Change first = handle.change(tx -> tx.put(ObjId.ROOT, "a", 1)).orElseThrow();
      assertEquals(actor, first.actor());
      assertEquals(1, first.seq());
      handle.whenDurable().join();
    }
    try (Repo repo = Repo.open(dir, options().withActor(actor))) {
      DocHandle handle = repo.find(id).orElseThrow();
      Change second = handle.change(tx -> tx.put(ObjId.ROOT, "a", 2)).orElseThrow();
      assertEquals(actor, second.actor());
      assertEquals(2, second.seq());
      handle.whenDurable().join();
      DocHandle again = repo.repair(id, List.of());
      Change third = again.change(tx -> tx.put(ObjId.ROOT, "a", 3)).orElseThrow();
      assertNotEquals(actor, third.actor());
      assertEquals(1, third.seq());
    }
  }

  @Test
  void listener_receivesPatches_andDeleteRemovesDocument() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      List<Patch> seen = new CopyOnWriteArrayList<>();
      handle.addListener(seen::addAll);
      handle.change(tx -> tx.put(ObjId.ROOT, "x", 1));
      assertEquals(1, seen.size());
      handle.whenDurable().join();
      assertTrue(repo.delete(handle.id()));
      assertEquals(Optional.empty(), repo.find(handle.id()));
      assertEquals(List.of(), repo.list());
    }
  }

  @Test
  void namedConsumer_resumesAfterRestart() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      for (int i = 0; i < 5; i++) {
        int value = i;
        handle.change(tx -> tx.put(ObjId.ROOT, "n", value));
      }
      handle.whenDurable().join();
      ChangeStream.Consumer consumer = repo.changes().consumer("indexer");
      assertEquals(3, consumer.poll(3).size());
      consumer.commit();
      assertEquals(2, consumer.poll(10).size()); // polled, not committed: redelivered
    }
    try (Repo repo = Repo.open(dir, options())) {
      ChangeStream.Consumer consumer = repo.changes().consumer("indexer");
      assertEquals(3, consumer.committedOffset());
      List<LogRecord> rest = consumer.poll(10);
      assertEquals(List.of(4L, 5L), rest.stream().map(LogRecord::offset).toList());
      assertEquals(5, repo.changes().read(0, 100).size());
    }
  }

  @Test
  void views_rebuildFromLog_givesIdenticalRows() {
    try (Repo repo = Repo.open(dir, options())) {
      ViewStore views = repo.views().orElseThrow();
      views.defineView(
          new ViewDefinition(
              "todos",
              "$.type",
              Optional.of("\"todo\""),
              Map.of("title", "$.title", "done", "$.done")));
      for (int i = 0; i < 20; i++) {
        DocHandle handle = repo.create();
        int n = i;
        handle.change(
            tx -> {
              tx.put(ObjId.ROOT, "type", n % 3 == 0 ? "note" : "todo");
              ObjId text = tx.putObject(ObjId.ROOT, "title", ObjType.TEXT);
              tx.splice(text, 0, 0, "buy milk number " + n);
              tx.put(ObjId.ROOT, "done", n % 2);
            });
        handle.change(tx -> tx.put(ObjId.ROOT, "done", 1));
      }
      repo.flush();
      List<Map<String, Object>> documents = rows(views, "SELECT * FROM documents ORDER BY id");
      List<Map<String, Object>> todos = rows(views, "SELECT * FROM view_todos ORDER BY doc_id");
      List<Map<String, Object>> fts =
          rows(views, "SELECT doc, path, body FROM documents_fts ORDER BY doc, path");
      assertEquals(20, documents.size());
      assertEquals(13, todos.size());
      assertEquals(
          1,
          rows(views, "SELECT doc FROM documents_fts WHERE documents_fts MATCH 'number AND 7'")
              .size());
      views.rebuildViews();
      assertEquals(documents, rows(views, "SELECT * FROM documents ORDER BY id"));
      assertEquals(todos, rows(views, "SELECT * FROM view_todos ORDER BY doc_id"));
      assertEquals(
          fts, rows(views, "SELECT doc, path, body FROM documents_fts ORDER BY doc, path"));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(ViewStore views, String sql) {
    return (List<Map<String, Object>>) (List<?>) views.query(sql, 10_000);
  }

  /**
   * Push subscriptions ({@code tail -f}): records committed after the subscription started arrive
   * in offset order, a subscription from an offset starts after it, and nothing arrives after
   * close. Waits are bounded (a lost record fails the test) but no duration is asserted.
   */
  @Test
  void subscribe_receivesRecordsAsCommitted_inOrder_fromOffset() throws InterruptedException {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "n", 0));
      handle.whenDurable().join();
      BlockingQueue<LogRecord> fromStart = new LinkedBlockingQueue<>();
      BlockingQueue<LogRecord> fromOne = new LinkedBlockingQueue<>();
      try (ChangeStream.Subscription all = repo.changes().subscribe(0, fromStart::add);
          ChangeStream.Subscription later = repo.changes().subscribe(1, fromOne::add)) {
        for (int i = 1; i <= 3; i++) {
          int n = i;
          handle.change(tx -> tx.put(ObjId.ROOT, "n", n));
        }
        handle.whenDurable().join();
        assertEquals(List.of(1L, 2L, 3L, 4L), take(fromStart, 4));
        assertEquals(List.of(2L, 3L, 4L), take(fromOne, 3));
        assertEquals(4, all.position());
        assertEquals(Optional.empty(), later.failure());
      }
      handle.change(tx -> tx.put(ObjId.ROOT, "n", 99));
      handle.whenDurable().join();
      repo.flush();
      assertEquals(0, fromStart.size());
    }
  }

  @Test
  void subscribe_handlerThrows_subscriptionStopsWithThatFailure() throws InterruptedException {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      CountDownLatch called = new CountDownLatch(1);
      IllegalStateException boom = new IllegalStateException("handler failed");
      ChangeStream.Subscription subscription =
          repo.changes()
              .subscribe(
                  0,
                  record -> {
                    called.countDown();
                    throw boom;
                  });
      handle.change(tx -> tx.put(ObjId.ROOT, "n", 1));
      handle.whenDurable().join();
      assertTrue(called.await(30, TimeUnit.SECONDS));
      subscription.thread().join(30_000);
      assertEquals(Optional.of(boom), subscription.failure());
      subscription.close();
    }
  }

  private static List<Long> take(BlockingQueue<LogRecord> queue, int count)
      throws InterruptedException {
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      LogRecord record = queue.poll(30, TimeUnit.SECONDS);
      assertTrue(record != null, "record " + (i + 1) + " of " + count + " never arrived");
      offsets.add(record.offset());
    }
    return offsets;
  }

  /**
   * The views trail the log, but a query first lets them catch up: every acknowledged change is
   * visible, and the incremental rows equal a rebuild.
   */
  @Test
  void query_afterAcknowledgedChanges_seesEveryOne() {
    try (Repo repo = Repo.open(dir, options())) {
      ViewStore views = repo.views().orElseThrow();
      List<DocHandle> handles = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        handles.add(repo.create());
      }
      for (int round = 0; round < 50; round++) {
        for (DocHandle handle : handles) {
          int n = round;
          handle.change(tx -> tx.put(ObjId.ROOT, "round", n));
        }
      }
      for (DocHandle handle : handles) {
        handle.whenDurable().join();
      }
      List<Map<String, Object>> rows =
          rows(views, "SELECT json_extract(value, '$.round') AS round FROM documents");
      assertEquals(5, rows.size());
      for (Map<String, Object> row : rows) {
        assertEquals(49, row.get("round"));
      }
      List<Map<String, Object>> documents = rows(views, "SELECT * FROM documents ORDER BY id");
      views.rebuildViews();
      assertEquals(documents, rows(views, "SELECT * FROM documents ORDER BY id"));
    }
  }

  @Test
  void query_write_isRefused() {
    try (Repo repo = Repo.open(dir, options())) {
      ViewStore views = repo.views().orElseThrow();
      ConvergeException e =
          assertThrows(ConvergeException.class, () -> views.query("DELETE FROM log", 10));
      assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
    }
  }

  @Test
  void importInto_missingDependencies_changesNothing() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      handle.whenDurable().join();
      Document other = Document.create();
      other.change(tx -> tx.put(ObjId.ROOT, "b", 1));
      Change second = other.change(tx -> tx.put(ObjId.ROOT, "b", 2)).orElseThrow();
      List<Change> onlySecond = new ArrayList<>(List.of(second));
      long end = repo.changes().endOffset();
      assertThrows(MissingDependenciesException.class, () -> handle.applyChanges(onlySecond));
      assertEquals("{\"a\":1}", handle.toJson());
      assertEquals(end, repo.changes().endOffset());
      DocHandle reloaded = repo.find(handle.id()).orElseThrow();
      assertEquals("{\"a\":1}", reloaded.toJson());
      assertFalse(reloaded.isBroken());
    }
  }
}
