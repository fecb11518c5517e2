package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link UndoManager} spelled out: each kind of op undone and redone, grouping, and
 * the concurrent cases where another actor's work must survive. {@link UndoPropertiesTest} covers
 * random histories.
 */
class UndoManagerTest {
  private static final ActorId MINE = ActorId.fromHex("aa");
  private static final ActorId THEIRS = ActorId.fromHex("bb");

  private final AtomicLong nowMillis = new AtomicLong();
  private final Document doc = Document.create(MINE, () -> 0L);
  private final UndoManager undo = new UndoManager(doc, UndoOptions.of(nowMillis::get));

  /** A change through the manager, far enough after the previous one to start a new group. */
  private void edit(java.util.function.Consumer<Transaction> edits) {
    nowMillis.addAndGet(10_000);
    undo.change(edits);
  }

  private ObjId text() {
    return doc.objectAt(ObjId.ROOT, "text").orElseThrow();
  }

  private void makeText(String content) {
    edit(tx -> tx.splice(tx.putObject(ObjId.ROOT, "text", ObjType.TEXT), 0, 0, content));
  }

  private static void sync(Document a, Document b) {
    a.merge(b);
    b.merge(a);
  }

  @Test
  void undo_put_restoresOverwrittenValue_redoPutsItBack() {
    edit(tx -> tx.put(ObjId.ROOT, "title", "one"));
    edit(tx -> tx.put(ObjId.ROOT, "title", "two"));

    undo.undo();
    assertEquals("{\"title\":\"one\"}", doc.toJson());
    undo.redo();
    assertEquals("{\"title\":\"two\"}", doc.toJson());
    undo.undo();
    undo.undo();
    assertEquals("{}", doc.toJson());
    assertFalse(undo.canUndo());
    assertTrue(undo.undo().isEmpty());
  }

  @Test
  void undo_delete_restoresValue() {
    edit(tx -> tx.put(ObjId.ROOT, "n", 7));
    edit(tx -> tx.delete(ObjId.ROOT, "n"));

    undo.undo();

    assertEquals("{\"n\":7}", doc.toJson());
  }

  @Test
  void undo_overwrittenObject_comesBackAsCopyWithItsContent() {
    edit(
        tx -> {
          ObjId map = tx.putObject(ObjId.ROOT, "m", ObjType.MAP);
          tx.put(map, "x", 1);
          ObjId list = tx.putObject(map, "l", ObjType.LIST);
          tx.insert(list, 0, new ScalarValue.Counter(3));
        });
    ObjId original = doc.objectAt(ObjId.ROOT, "m").orElseThrow();
    edit(tx -> tx.increment(doc.objectAt(original, "l").orElseThrow(), 0, 2));
    edit(tx -> tx.put(ObjId.ROOT, "m", "gone"));

    undo.undo();

    assertEquals("{\"m\":{\"l\":[5],\"x\":1}}", doc.toJson());
    assertNotEquals(original, doc.objectAt(ObjId.ROOT, "m").orElseThrow(), "a new object");
    undo.undo();
    assertEquals("{\"m\":{\"l\":[3],\"x\":1}}", doc.toJson(), "the increment, in the copy");
  }

  @Test
  void undo_typing_deletesIt_redoInsertsNewCharacters() {
    makeText("hello");
    edit(tx -> tx.splice(text(), 5, 0, " world"));

    undo.undo();
    assertEquals("hello", doc.text(text()));
    undo.redo();
    assertEquals("hello world", doc.text(text()));
  }

  @Test
  void undo_textDelete_reinsertsWhereItWas() {
    makeText("hello world");
    edit(tx -> tx.splice(text(), 3, 5, ""));
    assertEquals("helrld", doc.text(text()));

    undo.undo();

    assertEquals("hello world", doc.text(text()));
  }

  @Test
  void undo_textDelete_concurrentInsertInsideTheRangeKeepsItsPlace() {
    makeText("hello world");
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.splice(text(), 3, 5, ""));
    theirs.change(tx -> tx.splice(text(), 5, 0, "X"));
    sync(doc, theirs);
    assertEquals("helXrld", doc.text(text()));

    undo.undo();

    assertEquals("helloX world", doc.text(text()));
    sync(doc, theirs);
    assertEquals("helloX world", theirs.text(text()));
  }

  @Test
  void undo_textDelete_textTypedAtTheGapAfterwardsStaysBeforeTheRestoredText() {
    makeText("abcd");
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.splice(text(), 1, 2, ""));
    sync(doc, theirs);
    theirs.change(tx -> tx.splice(text(), 1, 0, "X"));
    sync(doc, theirs);
    assertEquals("aXd", doc.text(text()));

    undo.undo();

    assertEquals("aXbcd", doc.text(text()));
  }

  @Test
  void undo_textDelete_deletedByTheOtherActorToo_staysDeleted() {
    doc.change(tx -> tx.splice(tx.putObject(ObjId.ROOT, "text", ObjType.TEXT), 0, 0, "abc"));
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.splice(text(), 1, 1, ""));
    theirs.change(tx -> tx.splice(text(), 1, 1, ""));
    sync(doc, theirs);

    assertTrue(undo.undo().isEmpty());

    assertEquals("ac", doc.text(text()));
  }

  @Test
  void undo_increment_subtractsItKeepingTheirIncrements() {
    edit(tx -> tx.put(ObjId.ROOT, "c", new ScalarValue.Counter(10)));
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.increment(ObjId.ROOT, "c", 5));
    theirs.change(tx -> tx.increment(ObjId.ROOT, "c", 100));
    sync(doc, theirs);

    undo.undo();

    assertEquals("{\"c\":110}", doc.toJson());
  }

  @Test
  void undo_mark_restoresTheMarksBefore_redoMarksAgain() {
    makeText("abcdef");
    edit(tx -> tx.mark(text(), 0, 3, ExpandMark.AFTER, "bold", ScalarValue.TRUE));
    edit(tx -> tx.mark(text(), 2, 5, ExpandMark.NONE, "bold", ScalarValue.integer(2)));
    List<Mark> afterBoth = doc.marks(text());

    undo.undo();
    assertEquals(List.of(new Mark("bold", ScalarValue.TRUE, 0, 3)), doc.marks(text()));
    undo.redo();
    assertEquals(afterBoth, doc.marks(text()));
    undo.undo();
    undo.undo();
    assertEquals(List.of(), doc.marks(text()));
  }

  @Test
  void undo_mark_theirMarkThatWinsSomewhereKeepsWinning() {
    makeText("abcdef");
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.mark(text(), 0, 4, ExpandMark.NONE, "bold", ScalarValue.TRUE));
    sync(doc, theirs);
    theirs.change(tx -> tx.mark(text(), 2, 6, ExpandMark.NONE, "bold", ScalarValue.integer(9)));
    sync(doc, theirs);

    undo.undo();

    assertEquals(List.of(new Mark("bold", ScalarValue.integer(9), 2, 6)), doc.marks(text()));
  }

  @Test
  void undo_deletedCharactersInsideAnUndoneMark_comeBackUnmarked() {
    makeText("hello");
    edit(tx -> tx.splice(text(), 1, 2, ""));
    edit(tx -> tx.mark(text(), 1, 3, ExpandMark.BEFORE, "bold", ScalarValue.TRUE));

    undo.undo();
    undo.undo();

    assertEquals("hello", doc.text(text()));
    assertEquals(List.of(), doc.marks(text()));
  }

  @Test
  void undo_put_theirConcurrentValueStays_oursIsOnlyDeleted() {
    edit(tx -> tx.put(ObjId.ROOT, "k", "old"));
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.put(ObjId.ROOT, "k", "mine"));
    theirs.change(tx -> tx.put(ObjId.ROOT, "k", "theirs"));
    sync(doc, theirs);

    undo.undo();

    assertEquals(List.of("theirs"), values(doc.conflicts(ObjId.ROOT, "k")));
  }

  @Test
  void undo_put_theyOverwroteIt_nothingToUndo() {
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.put(ObjId.ROOT, "k", "mine"));
    sync(doc, theirs);
    theirs.change(tx -> tx.put(ObjId.ROOT, "k", "theirs"));
    sync(doc, theirs);

    assertTrue(undo.undo().isEmpty());
    assertEquals("{\"k\":\"theirs\"}", doc.toJson());
    assertFalse(undo.canUndo(), "the group with nothing left is dropped");
  }

  @Test
  void undo_objectCreation_objectHoldingTheirValuesIsKept() {
    Document theirs = doc.fork(THEIRS);
    edit(tx -> tx.putObject(ObjId.ROOT, "m", ObjType.MAP));
    sync(doc, theirs);
    ObjId map = doc.objectAt(ObjId.ROOT, "m").orElseThrow();
    theirs.change(tx -> tx.put(map, "theirs", 1));
    sync(doc, theirs);

    assertTrue(undo.undo().isEmpty());

    assertEquals("{\"m\":{\"theirs\":1}}", doc.toJson());
  }

  @Test
  void change_withinTheInterval_joinsTheGroup_afterItStartsANewOne() {
    makeText("");
    undo.breakGroup();
    for (String letter : List.of("a", "b", "c")) {
      nowMillis.addAndGet(UndoOptions.MERGE_INTERVAL_MILLIS_DEFAULT - 1);
      undo.change(tx -> tx.splice(text(), tx.length(text()), 0, letter));
    }
    nowMillis.addAndGet(UndoOptions.MERGE_INTERVAL_MILLIS_DEFAULT);
    undo.change(tx -> tx.splice(text(), 3, 0, "d"));

    undo.undo();
    assertEquals("abc", doc.text(text()));
    undo.undo();
    assertEquals("", doc.text(text()));
  }

  @Test
  void explicitGroup_joinsChangesWhateverTheTime_breakGroupSplits() {
    undo.startGroup();
    edit(tx -> tx.put(ObjId.ROOT, "a", 1));
    undo.startGroup();
    edit(tx -> tx.put(ObjId.ROOT, "b", 2));
    undo.endGroup();
    edit(tx -> tx.put(ObjId.ROOT, "c", 3));
    undo.endGroup();
    undo.change(tx -> tx.put(ObjId.ROOT, "d", 4));
    undo.breakGroup();
    undo.change(tx -> tx.put(ObjId.ROOT, "e", 5));

    undo.undo();
    assertEquals("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", doc.toJson());
    undo.undo();
    assertEquals("{\"a\":1,\"b\":2,\"c\":3}", doc.toJson());
    undo.undo();
    assertEquals("{}", doc.toJson());
  }

  @Test
  void endGroup_withoutStartGroup_throws() {
    assertThrows(IllegalStateException.class, undo::endGroup);
  }

  @Test
  void change_afterUndo_emptiesTheRedoStack() {
    edit(tx -> tx.put(ObjId.ROOT, "a", 1));
    undo.undo();
    assertTrue(undo.canRedo());

    edit(tx -> tx.put(ObjId.ROOT, "b", 2));

    assertFalse(undo.canRedo());
    assertTrue(undo.redo().isEmpty());
  }

  @Test
  void undo_isAnOrdinaryChange_anotherReplicaReachesTheSameValue() {
    makeText("hello");
    edit(tx -> tx.splice(text(), 0, 5, "bye"));
    Change change = undo.undo().orElseThrow();
    Document other = Document.create(THEIRS, () -> 0L);

    other.applyChanges(doc.changes());

    assertEquals(doc.toJson(), other.toJson());
    assertEquals(MINE, change.actor());
    assertEquals(doc.heads(), List.of(change.hash()));
  }

  @Test
  void undoOptions_badSettings_throw() {
    assertThrows(IllegalArgumentException.class, () -> new UndoOptions(-1, 10, nowMillis::get));
    assertThrows(IllegalArgumentException.class, () -> new UndoOptions(0, 0, nowMillis::get));
  }

  @Test
  void groupsMax_dropsTheOldestGroups() {
    UndoManager shallow =
        new UndoManager(
            doc, UndoOptions.of(nowMillis::get).withMergeIntervalMillis(0).withGroupsMax(2));
    for (int i = 0; i < 3; i++) {
      int value = i;
      shallow.change(tx -> tx.put(ObjId.ROOT, "k", value));
    }

    shallow.undo();
    shallow.undo();

    assertFalse(shallow.canUndo());
    assertEquals(Map.of("k", 0L), doc.toJava(ObjId.ROOT));
  }

  private static List<Object> values(List<Conflict> conflicts) {
    return conflicts.stream()
        .map(conflict -> (Object) ((Value.Scalar) conflict.value()).value())
        .map(value -> value instanceof ScalarValue.Str s ? s.value() : value)
        .toList();
  }
}
