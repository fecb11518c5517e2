package dev.converge.repo.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.CorruptDataException;
import dev.converge.core.Document;
import dev.converge.core.MissingDependenciesException;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class InMemoryStorageTest {
  private static final String DOC = "doc";

  @Test
  void append_duplicatesInOneCallAndAgain_storedOnceInOrder() {
    List<Change> changes = chain(Document.create(), 3);
    InMemoryStorage storage = new InMemoryStorage();
    List<Change> twice = new ArrayList<>(changes);
    twice.addAll(changes);
    assertEquals(3L, storage.append(DOC, twice).join());
    assertEquals(0L, storage.append(DOC, changes).join());
    List<LogRecord> log = storage.readDocument(DOC, 0);
    assertEquals(3, log.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(changes.get(i).hash(), log.get(i).hash());
    }
    assertEquals(List.of(changes.get(2).hash()), storage.recordedHeads(DOC));
  }

  @Test
  void append_dependenciesLaterInTheSameCall_accepted() {
    List<Change> changes = new ArrayList<>(chain(Document.create(), 3));
    java.util.Collections.reverse(changes);
    InMemoryStorage storage = new InMemoryStorage();
    assertEquals(3L, storage.append(DOC, changes).join());
    assertEquals(3, storage.readDocument(DOC, 0).size());
  }

  @Test
  void append_missingDependency_refusedAndNothingStored() {
    List<Change> changes = chain(Document.create(), 3);
    InMemoryStorage storage = new InMemoryStorage();
    storage.append(DOC, changes.subList(0, 1)).join();
    CompletionException thrown =
        org.junit.jupiter.api.Assertions.assertThrows(
            CompletionException.class, () -> storage.append(DOC, changes.subList(2, 3)).join());
    MissingDependenciesException missing =
        assertInstanceOf(MissingDependenciesException.class, thrown.getCause());
    assertEquals(List.of(changes.get(1).hash()), missing.missing());
    assertEquals(1, storage.readDocument(DOC, 0).size());
    assertEquals(List.of(changes.get(0).hash()), storage.recordedHeads(DOC));
  }

  @Test
  void append_contradictingChange_refusedAndNothingStored() {
    ActorId actor = ActorId.random();
    List<Change> ours = chain(Document.create(actor), 2);
    Document other = Document.create(actor);
    other.change(tx -> tx.put(ObjId.ROOT, "other", 1));
    Change reused = other.changes().get(0); // seq 1 of the same actor, other content
    InMemoryStorage storage = new InMemoryStorage();
    storage.append(DOC, ours.subList(0, 1)).join();
    CompletionException thrown =
        org.junit.jupiter.api.Assertions.assertThrows(
            CompletionException.class,
            () -> storage.append(DOC, List.of(ours.get(1), reused)).join());
    assertInstanceOf(CorruptDataException.class, thrown.getCause());
    assertEquals(1, storage.readDocument(DOC, 0).size());
    assertEquals(List.of(ours.get(0).hash()), storage.recordedHeads(DOC));
    assertEquals(2L, storage.append(DOC, ours.subList(1, 2)).join());
  }

  /**
   * Appending changes one by one costs the same per change however long the document is: each
   * append changes the stored document in place, with no copy (a copy per append made an import of
   * n changes, one by one, cost n^2). Checked by identity, not by time.
   */
  @Test
  void append_oneByOne_changesTheSameDocumentWithoutCopies() {
    List<Change> changes = chain(Document.create(), 50);
    InMemoryStorage storage = new InMemoryStorage();
    storage.append(DOC, changes.subList(0, 1)).join();
    Document stored = storage.document(DOC).orElseThrow();
    for (Change change : changes.subList(1, changes.size())) {
      storage.append(DOC, List.of(change)).join();
      assertSame(stored, storage.document(DOC).orElseThrow());
    }
    assertEquals(50, stored.changes().size());
    assertEquals(List.of(changes.get(49).hash()), storage.recordedHeads(DOC));
  }

  /** {@code count} changes of one document, each on top of the one before. */
  private static List<Change> chain(Document document, int count) {
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      changes.add(document.change(tx -> tx.put(ObjId.ROOT, "k" + (n % 8), n)).orElseThrow());
    }
    return changes;
  }
}
