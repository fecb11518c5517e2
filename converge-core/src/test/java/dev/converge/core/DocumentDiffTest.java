package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Document#diff} and the history reads of {@link DocumentHistory} on small, spelled-out
 * histories: each case names the patches a UI would expect.
 */
class DocumentDiffTest {
  private static final List<PathElement> ROOT = List.of();

  private static Document withText(String content) {
    Document doc = Document.create(ActorId.fromHex("aa"), () -> 0L);
    doc.change(tx -> tx.splice(tx.putObject(ObjId.ROOT, "text", ObjType.TEXT), 0, 0, content));
    return doc;
  }

  @Test
  void diff_textEditedForwardAndBack_givesSpliceAndDelete() {
    Document doc = withText("hello");
    List<ChangeHash> first = doc.heads();
    ObjId text = doc.objectAt(ObjId.ROOT, "text").orElseThrow();
    doc.change(tx -> tx.splice(text, 5, 0, " world"));
    List<ChangeHash> second = doc.heads();
    List<PathElement> path = List.of(new PathElement.Key("text"));

    assertEquals(List.of(new Patch.SpliceText(text, path, 5, " world")), doc.diff(first, second));
    assertEquals(List.of(new Patch.Delete(text, path, 5, 6)), doc.diff(second, first));
  }

  @Test
  void diff_fromEmpty_writesEveryObjectOut() {
    Document doc = withText("hi");
    ObjId text = doc.objectAt(ObjId.ROOT, "text").orElseThrow();
    assertEquals(
        List.of(
            new Patch.Put(
                ObjId.ROOT,
                ROOT,
                new PathElement.Key("text"),
                new Value.Obj(ObjType.TEXT, text),
                false),
            new Patch.SpliceText(text, List.of(new PathElement.Key("text")), 0, "hi")),
        doc.diff(List.of(), doc.heads()));
  }

  @Test
  void diff_concurrentPuts_markTheConflictAndIncrementTheCounter() {
    Document doc = Document.create(ActorId.fromHex("aa"), () -> 0L);
    doc.change(
        tx -> {
          tx.put(ObjId.ROOT, "title", "a");
          tx.put(ObjId.ROOT, "count", new ScalarValue.Counter(1));
        });
    List<ChangeHash> base = doc.heads();
    Document other = doc.fork(ActorId.fromHex("bb"));
    other.change(tx -> tx.put(ObjId.ROOT, "title", "b"));
    doc.change(
        tx -> {
          tx.put(ObjId.ROOT, "title", "c");
          tx.increment(ObjId.ROOT, "count", 4);
        });
    doc.merge(other);

    List<Patch> patches = doc.diff(base, doc.heads());

    assertEquals(
        List.of(
            new Patch.Increment(ObjId.ROOT, ROOT, new PathElement.Key("count"), 4),
            new Patch.Put(
                ObjId.ROOT,
                ROOT,
                new PathElement.Key("title"),
                Value.of(ScalarValue.str("b")),
                true)),
        patches);
  }

  @Test
  void diff_markAdded_givesTheSpanOnly() {
    Document doc = withText("hello");
    List<ChangeHash> plain = doc.heads();
    ObjId text = doc.objectAt(ObjId.ROOT, "text").orElseThrow();
    doc.change(tx -> tx.mark(text, 1, 3, ExpandMark.NONE, "bold", ScalarValue.bool(true)));

    assertEquals(
        List.of(
            new Patch.MarkSpans(
                text,
                List.of(new PathElement.Key("text")),
                List.of(new Mark("bold", ScalarValue.bool(true), 1, 3)))),
        doc.diff(plain, doc.heads()));
    assertEquals(
        List.of(
            new Patch.MarkSpans(
                text,
                List.of(new PathElement.Key("text")),
                List.of(new Mark("bold", ScalarValue.NULL, 1, 3)))),
        doc.diff(doc.heads(), plain));
  }

  @Test
  void diff_unknownHead_isInvalidArgument() {
    Document doc = withText("x");
    ChangeHash unknown = ChangeHash.of(new byte[ChangeHash.LENGTH]);
    ConvergeException thrown =
        assertThrows(ConvergeException.class, () -> doc.diff(doc.heads(), List.of(unknown)));
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, thrown.kind());
  }

  @Test
  void changeSummaries_matchTheChanges() {
    Document doc = withText("abc");
    Document other = doc.fork(ActorId.fromHex("bb"));
    other.change(CommitOptions.defaults().withMessage("from b"), tx -> tx.put(ObjId.ROOT, "x", 1));
    doc.change(tx -> tx.put(ObjId.ROOT, "y", 2));
    doc.merge(other);
    doc.change(tx -> tx.put(ObjId.ROOT, "z", 3));

    List<Change> changes = doc.changes();
    List<ChangeSummary> summaries = doc.changeSummaries(0, doc.changeCount());
    assertEquals(changes.size(), summaries.size());
    for (int i = 0; i < changes.size(); i++) {
      Change change = changes.get(i);
      ChangeSummary summary = summaries.get(i);
      assertEquals(change.hash(), summary.hash());
      assertEquals(change.actor(), summary.actor());
      assertEquals(change.seq(), summary.seq());
      assertEquals(change.startOp(), summary.startOp());
      assertEquals(change.ops().size(), summary.opCount());
      assertEquals(change.time(), summary.time());
      assertEquals(change.message(), summary.message());
      assertEquals(change.deps(), summary.deps());
      assertEquals(i, doc.changeIndex(change.hash()).orElseThrow());
    }
    assertEquals(doc.headsOfFirst(3), summaries.get(3).deps());
    assertTrue(doc.changeIndex(ChangeHash.of(new byte[ChangeHash.LENGTH])).isEmpty());
  }

  @Test
  void headsOfFirst_isThePrefixHeads() {
    Document doc = withText("abc");
    List<ChangeHash> one = doc.heads();
    Document other = doc.fork(ActorId.fromHex("bb"));
    other.change(tx -> tx.put(ObjId.ROOT, "x", 1));
    doc.change(tx -> tx.put(ObjId.ROOT, "y", 2));
    doc.merge(other);

    assertEquals(List.of(), doc.headsOfFirst(0));
    assertEquals(one, doc.headsOfFirst(1));
    assertEquals(doc.heads(), doc.headsOfFirst(3));
    assertThrows(ConvergeException.class, () -> doc.headsOfFirst(4));
    assertThrows(ConvergeException.class, () -> doc.changeSummaries(2, 1));
  }
}
