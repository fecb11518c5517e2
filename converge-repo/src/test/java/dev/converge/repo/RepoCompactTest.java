package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.ExpandMark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.repo.spi.Forward;
import dev.converge.repo.spi.PurgedDocumentException;
import dev.converge.repo.spi.ViewDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on a real SQLite store. The canary test writes a string into a document's history only
 * (set, then overwritten and deleted, so the current value lacks it), checks a byte scan of the
 * directory finds it, compacts, and checks the scan finds it in no file while the successor holds
 * the current value. The other tests check the value is kept exactly, the link is followed, and bad
 * input changes nothing.
 */
class RepoCompactTest {
  private static final String CANARY = "zqcompactcanary5521";

  @TempDir Path dir;

  private RepoOptions options() {
    return RepoOptions.defaults().withRandom(new SplittableRandom(21));
  }

  @Test
  void compact_canaryInHistoryOnly_inNoFileAfterAndValueKept() {
    try (Repo repo = Repo.open(dir, options())) {
      repo.views()
          .orElseThrow()
          .defineView(
              new ViewDefinition("notes", "$.note", Optional.empty(), Map.of("n", "$.note")));
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "note", CANARY));
      old.change(
          tx -> {
            ObjId text = tx.putObject(ObjId.ROOT, "body", ObjType.TEXT);
            tx.splice(text, 0, 0, "keep " + CANARY + " this");
          });
      ObjId body = old.read(doc -> doc.objectAt(ObjId.ROOT, "body").orElseThrow());
      old.change(tx -> tx.splice(body, 5, CANARY.length() + 1, ""));
      old.change(tx -> tx.put(ObjId.ROOT, "note", "plain"));
      old.whenDurable().join();
      repo.views().orElseThrow().query("SELECT count(*) FROM documents", 1);
      assertFalse(CanaryScan.occurrences(dir, CANARY).isEmpty(), "the canary is found before");
      String value = old.toJson();

      DocHandle successor = repo.compact(old.id());

      assertEquals(Map.of(), CanaryScan.occurrences(dir, CANARY));
      assertEquals(value, successor.toJson());
      assertEquals("{\"body\":\"keep this\",\"note\":\"plain\"}", value);
      assertEquals(1, successor.changes().size());
      assertTrue(repo.isPurged(old.id()));
      assertEquals(List.of(successor.id()), repo.list());
      assertEquals(successor.id(), repo.resolve(old.id()));
      assertEquals(
          Optional.of(new Forward(old.id().toString(), successor.id().toString(), old.heads())),
          repo.forwardOf(old.id()));
      assertEquals(
          List.of(Map.of("n", "plain")),
          repo.views().orElseThrow().query("SELECT n FROM view_notes", 10));
    }
    try (Repo repo = Repo.open(dir, options())) {
      DocumentId successor = repo.list().get(0);
      assertEquals(1, repo.forwards().size());
      assertEquals(successor, repo.resolve(DocumentId.parse(repo.forwards().get(0).documentId())));
      assertEquals(
          "{\"body\":\"keep this\",\"note\":\"plain\"}",
          repo.find(repo.resolve(successor)).orElseThrow().toJson());
    }
  }

  @Test
  void compact_everyKindOfValue_sameValueAndTypes() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle old = repo.create();
      old.change(
          tx -> {
            tx.put(ObjId.ROOT, "count", new ScalarValue.Counter(10));
            tx.put(ObjId.ROOT, "big", new ScalarValue.Uint(-1L));
            tx.put(ObjId.ROOT, "when", new ScalarValue.Timestamp(1_700_000_000_000L));
            tx.put(ObjId.ROOT, "raw", ScalarValue.Bytes.of(new byte[] {0, 1, (byte) 255}));
            tx.put(ObjId.ROOT, "pi", new ScalarValue.F64(3.25));
            tx.put(ObjId.ROOT, "nothing", ScalarValue.NULL);
            tx.put(ObjId.ROOT, "yes", ScalarValue.TRUE);
            ObjId list = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
            tx.insert(list, 0, ScalarValue.integer(-5));
            ObjId nested = tx.insertObject(list, 1, ObjType.MAP);
            tx.put(nested, "deep", "value");
            ObjId inner = tx.putObject(nested, "inner", ObjType.LIST);
            tx.insert(inner, 0, new ScalarValue.Counter(1));
            ObjId text = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
            tx.splice(text, 0, 0, "héllo 😀 wörld");
            tx.mark(text, 0, 5, ExpandMark.AFTER, "bold", ScalarValue.TRUE);
            tx.mark(text, 3, 9, ExpandMark.NONE, "link", ScalarValue.str("https://x"));
            tx.putObject(ObjId.ROOT, "table", ObjType.TABLE);
          });
      old.change(
          tx -> {
            tx.increment(ObjId.ROOT, "count", 32);
            ObjId text = tx.objectAt(ObjId.ROOT, "text").orElseThrow();
            tx.splice(text, 1, 1, "e");
          });
      Document expected = Document.load(old.save());

      DocHandle successor = repo.compact(old.id());

      successor.read(
          actual -> {
            SameValue.assertSameValue(expected, actual);
            return null;
          });
      assertEquals(expected.toJson(), successor.toJson());
      // A counter stays a counter: an increment on the successor adds to it.
      successor.change(tx -> tx.increment(ObjId.ROOT, "count", 1));
      assertEquals(
          Optional.of(dev.converge.core.Value.of(new ScalarValue.Counter(43))),
          successor.read(doc -> doc.get(ObjId.ROOT, "count")));
    }
  }

  @Test
  void compact_conflict_keepsTheVisibleValue() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "k", "base"));
      Document other = Document.load(old.save());
      other.change(tx -> tx.put(ObjId.ROOT, "k", "theirs"));
      old.change(tx -> tx.put(ObjId.ROOT, "k", "ours"));
      old.applyChanges(other.changes());
      String visible = old.toJson();

      DocHandle successor = repo.compact(old.id());

      assertEquals(visible, successor.toJson());
      assertEquals(1, successor.read(doc -> doc.conflicts(ObjId.ROOT, "k")).size());
    }
  }

  @Test
  void compact_unknownDocument_refusedAndNothingChanged() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle kept = repo.create();
      kept.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      kept.whenDurable().join();
      DocumentId unknown = DocumentId.random(new SplittableRandom(5));

      ConvergeException e = assertThrows(ConvergeException.class, () -> repo.compact(unknown));

      assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
      assertEquals(List.of(kept.id()), repo.list());
      assertEquals(List.of(), repo.forwards());
      assertFalse(repo.isPurged(unknown));
    }
  }

  @Test
  void compact_purgedDocument_refusedAndNothingChanged() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle doomed = repo.create();
      doomed.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      repo.purge(doomed.id());

      assertThrows(PurgedDocumentException.class, () -> repo.compact(doomed.id()));

      assertEquals(List.of(), repo.list());
      assertEquals(List.of(), repo.forwards());
    }
  }

  @Test
  void compact_twice_secondRefusedNamingTheSuccessor() {
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      DocHandle successor = repo.compact(old.id());

      ConvergeException e = assertThrows(ConvergeException.class, () -> repo.compact(old.id()));

      assertTrue(
          String.valueOf(e.getMessage()).contains(successor.id().toString()), e.getMessage());
      assertEquals(List.of(successor.id()), repo.list());
    }
  }

  @Test
  void compact_linkStoredButOldNotPurged_compactAgainFinishes() {
    DocumentId oldId;
    DocumentId successorId;
    try (Repo repo = Repo.open(dir, options())) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", "value"));
      old.whenDurable().join();
      oldId = old.id();
      // What a process killed between compaction's two steps leaves: the successor and the link
      // stored, the old document still there.
      successorId = DocumentId.random(new SplittableRandom(9));
      Document successor = Document.create();
      successor.change(tx -> tx.put(ObjId.ROOT, "a", "value"));
      Forward forward = new Forward(oldId.toString(), successorId.toString(), old.heads());
      repo.flush();
      repo.storage().compactDocument(forward, successor.changes()).join();
    }
    try (Repo repo = Repo.open(dir, options())) {
      assertEquals(2, repo.list().size());
      assertEquals(successorId, repo.resolve(oldId));

      DocHandle again = repo.compact(oldId);

      assertEquals(successorId, again.id());
      assertTrue(repo.isPurged(oldId));
      assertEquals(List.of(successorId), repo.list());
    }
  }

  @Test
  void settleForward_copyWithLaterEdits_keptUntilCovered() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      List<dev.converge.core.ChangeHash> compacted = old.heads();
      old.change(tx -> tx.put(ObjId.ROOT, "b", 2)); // an edit the compaction did not see
      DocHandle successor = repo.create();
      successor.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      repo.recordForward(new Forward(old.id().toString(), successor.id().toString(), compacted));

      assertFalse(repo.settleForward(old.id()));

      assertTrue(repo.find(old.id()).isPresent());
      assertNotEquals(successor.id(), old.id());
    }
  }

  @Test
  void settleForward_copyBehindTheCompaction_purged() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      Document elsewhere = Document.load(old.save());
      elsewhere.change(tx -> tx.put(ObjId.ROOT, "b", 2)); // the compacting replica was ahead
      DocHandle successor = repo.create();
      successor.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      repo.recordForward(
          new Forward(old.id().toString(), successor.id().toString(), elsewhere.heads()));
      old.applyChanges(elsewhere.changes());

      assertTrue(repo.settleForward(old.id()));

      assertTrue(repo.isPurged(old.id()));
      assertEquals(successor.id(), repo.resolve(old.id()));
    }
  }

  @Test
  void compact_inMemory_sameAsSqlite() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", "b"));

      DocHandle successor = repo.compact(old.id());

      assertEquals("{\"a\":\"b\"}", successor.toJson());
      assertTrue(repo.isPurged(old.id()));
      assertEquals(successor.id(), repo.resolve(old.id()));
    }
  }
}
