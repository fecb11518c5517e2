package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The document API one feature at a time: local edits, reads, transactions, merge, time travel.
 * Actors are fixed and times come from a fixed source, so every change hash is reproducible.
 */
class DocumentTest {
  static final ActorId ALICE = ActorId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  static final ActorId BOB = ActorId.fromHex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

  static Document doc(ActorId actor) {
    return Document.create(actor, () -> 1_700_000_000_000L);
  }

  @Test
  void change_putScalars_readBack() {
    Document doc = doc(ALICE);
    Optional<Change> change =
        doc.change(
            tx -> {
              tx.put(ObjId.ROOT, "s", "hello");
              tx.put(ObjId.ROOT, "n", 42);
              tx.put(ObjId.ROOT, "b", ScalarValue.TRUE);
              tx.put(ObjId.ROOT, "z", ScalarValue.NULL);
            });
    assertTrue(change.isPresent());
    assertEquals(4, change.get().ops().size());
    assertEquals(List.of("b", "n", "s", "z"), doc.keys(ObjId.ROOT));
    assertEquals(Optional.of(Value.of(ScalarValue.str("hello"))), doc.get(ObjId.ROOT, "s"));
    assertEquals(List.of(change.get().hash()), doc.heads());
    assertEquals("{\"b\":true,\"n\":42,\"s\":\"hello\",\"z\":null}", doc.toJson());
  }

  @Test
  void change_noEdits_makesNoChange() {
    Document doc = doc(ALICE);
    assertEquals(Optional.empty(), doc.change(tx -> {}));
    assertTrue(doc.heads().isEmpty());
  }

  @Test
  void change_throws_rollsBackEverything() {
    Document doc = doc(ALICE);
    ObjId[] text = new ObjId[1];
    doc.change(
        tx -> {
          text[0] = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.splice(text[0], 0, 0, "abc");
        });
    String before = doc.toJson();
    List<ChangeHash> heads = doc.heads();
    assertThrows(
        IllegalStateException.class,
        () ->
            doc.change(
                tx -> {
                  tx.splice(text[0], 1, 1, "XYZ");
                  tx.put(ObjId.ROOT, "k", "v");
                  tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
                  throw new IllegalStateException("boom");
                }));
    assertEquals(before, doc.toJson());
    assertEquals(heads, doc.heads());
    assertEquals("abc", doc.text(text[0]));
    doc.change(tx -> tx.splice(text[0], 3, 0, "d"));
    assertEquals("abcd", doc.text(text[0]));
  }

  @Test
  void splice_utf16Indexes_oneOpPerScalarValue() {
    Document doc = doc(ALICE);
    ObjId[] text = new ObjId[1];
    Change change =
        doc.change(
                tx -> {
                  text[0] = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT);
                  tx.splice(text[0], 0, 0, "a😀b");
                })
            .orElseThrow();
    assertEquals(4, change.ops().size());
    assertEquals(4, doc.length(text[0]));
    doc.change(tx -> tx.splice(text[0], 1, 2, "é"));
    assertEquals("aéb", doc.text(text[0]));
  }

  @Test
  void lists_insertPutDelete() {
    Document doc = doc(ALICE);
    ObjId[] list = new ObjId[1];
    doc.change(
        tx -> {
          list[0] = tx.putObject(ObjId.ROOT, "l", ObjType.LIST);
          tx.insert(list[0], 0, ScalarValue.integer(1));
          tx.insert(list[0], 1, ScalarValue.integer(3));
          tx.insert(list[0], 1, ScalarValue.integer(2));
          ObjId nested = tx.insertObject(list[0], 3, ObjType.MAP);
          tx.put(nested, "x", "y");
        });
    assertEquals("{\"l\":[1,2,3,{\"x\":\"y\"}]}", doc.toJson());
    doc.change(
        tx -> {
          tx.delete(list[0], 0);
          tx.put(list[0], 0, ScalarValue.str("two"));
        });
    assertEquals("{\"l\":[\"two\",3,{\"x\":\"y\"}]}", doc.toJson());
  }

  @Test
  void counters_incrementAndMerge() {
    Document a = doc(ALICE);
    a.change(tx -> tx.put(ObjId.ROOT, "c", new ScalarValue.Counter(10)));
    Document b = a.fork(BOB);
    a.change(tx -> tx.increment(ObjId.ROOT, "c", 5));
    b.change(tx -> tx.increment(ObjId.ROOT, "c", -3));
    a.merge(b);
    b.merge(a);
    assertEquals(Optional.of(Value.of(new ScalarValue.Counter(12))), a.get(ObjId.ROOT, "c"));
    assertEquals(a.toJson(), b.toJson());
    assertEquals(a.heads(), b.heads());
  }

  @Test
  void conflicts_keepEveryConcurrentValue_greatestOpIdWins() {
    Document a = doc(ALICE);
    Document b = doc(BOB);
    a.change(tx -> tx.put(ObjId.ROOT, "k", "from alice"));
    b.change(tx -> tx.put(ObjId.ROOT, "k", "from bob"));
    a.merge(b);
    List<Conflict> conflicts = a.conflicts(ObjId.ROOT, "k");
    assertEquals(2, conflicts.size());
    // Same counter: the greater actor (bob) wins.
    assertEquals(Optional.of(Value.of(ScalarValue.str("from bob"))), a.get(ObjId.ROOT, "k"));
    a.change(tx -> tx.put(ObjId.ROOT, "k", "resolved"));
    assertEquals(1, a.conflicts(ObjId.ROOT, "k").size());
  }

  @Test
  void applyChanges_outOfOrder_waitsForDeps() {
    Document a = doc(ALICE);
    a.change(tx -> tx.put(ObjId.ROOT, "x", 1));
    a.change(tx -> tx.put(ObjId.ROOT, "x", 2));
    a.change(tx -> tx.put(ObjId.ROOT, "x", 3));
    List<Change> changes = a.changes();
    Document b = doc(BOB);
    assertEquals(0, b.applyChanges(List.of(changes.get(2), changes.get(1))));
    assertEquals(List.of(changes.get(0).hash()), b.missingDeps());
    assertEquals(3, b.applyChanges(List.of(changes.get(0), changes.get(0))));
    assertEquals(a.heads(), b.heads());
    assertEquals(a.toJson(), b.toJson());
    assertEquals(0, b.applyChanges(changes));
    assertTrue(b.missingDeps().isEmpty());
  }

  @Test
  void timeTravel_viewAndForkAtPastHeads() {
    Document doc = doc(ALICE);
    doc.change(tx -> tx.put(ObjId.ROOT, "v", 1));
    List<ChangeHash> first = doc.heads();
    doc.change(tx -> tx.put(ObjId.ROOT, "v", 2));
    doc.change(tx -> tx.put(ObjId.ROOT, "w", 3));
    assertEquals("{\"v\":1}", doc.at(first).toJson());
    assertEquals("{\"v\":1}", doc.forkAt(first).toJson());
    assertEquals("{\"v\":2,\"w\":3}", doc.toJson());
    assertEquals(Causality.BEFORE, doc.compare(first, doc.heads()));
    assertEquals(Causality.AFTER, doc.compare(doc.heads(), first));
    assertEquals(Causality.EQUAL, doc.compare(first, first));
  }

  @Test
  void compare_divergedReplicas_concurrent() {
    Document a = doc(ALICE);
    a.change(tx -> tx.put(ObjId.ROOT, "v", 1));
    Document b = a.fork(BOB);
    a.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    b.change(tx -> tx.put(ObjId.ROOT, "b", 1));
    List<ChangeHash> headsA = a.heads();
    a.merge(b);
    assertEquals(Causality.CONCURRENT, a.compare(headsA, b.heads()));
  }

  @Test
  void patches_localAndRemote() {
    Document a = doc(ALICE);
    List<Patch> seen = new ArrayList<>();
    a.addListener(seen::addAll);
    ObjId[] text = new ObjId[1];
    a.change(
        tx -> {
          text[0] = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT);
          tx.splice(text[0], 0, 0, "hello");
        });
    assertEquals(2, seen.size());
    assertEquals(
        new Patch.SpliceText(text[0], List.of(new PathElement.Key("t")), 0, "hello"), seen.get(1));
    Document b = a.fork(BOB);
    b.change(tx -> tx.splice(text[0], 1, 3, ""));
    seen.clear();
    a.merge(b);
    assertEquals(List.of(new Patch.Delete(text[0], List.of(new PathElement.Key("t")), 1, 3)), seen);
    assertEquals("ho", a.text(text[0]));
  }

  /** The one Put a change to a root key produced, with the value it carries. */
  private static Patch.Put onlyPut(List<Patch> seen, String key) {
    assertEquals(1, seen.size(), seen.toString());
    Patch.Put put = (Patch.Put) seen.get(0);
    assertEquals(new PathElement.Key(key), put.at());
    return put;
  }

  /**
   * A key written thousands of times with a listener registered: each put gives one Put of the new
   * value (the patch's scan starts at the key's hint and skips the overwritten history, which it
   * used to scan in full twice per put), a rolled back put gives no patch and keeps the history
   * intact, a concurrent write merged in gives a Put marked as a conflict, and the next put
   * resolves it.
   */
  @Test
  void patches_longKeyHistory_putsRollbackAndConflict() {
    Document a = doc(ALICE);
    List<Patch> seen = new ArrayList<>();
    a.addListener(seen::addAll);
    for (int n = 1; n <= 5_000; n++) {
      long value = n;
      seen.clear();
      a.change(tx -> tx.put(ObjId.ROOT, "n", value));
      Patch.Put put = onlyPut(seen, "n");
      assertEquals(Value.of(ScalarValue.integer(value)), put.value());
      assertFalse(put.conflict());
    }
    seen.clear();
    assertThrows(
        IllegalStateException.class,
        () ->
            a.change(
                tx -> {
                  tx.put(ObjId.ROOT, "n", -1L);
                  throw new IllegalStateException("boom");
                }));
    assertEquals(List.of(), seen);
    assertEquals("{\"n\":5000}", a.toJson());

    Document b = a.fork(BOB);
    b.change(tx -> tx.put(ObjId.ROOT, "n", "bob"));
    a.change(tx -> tx.put(ObjId.ROOT, "n", 5_001L));
    seen.clear();
    a.merge(b);
    assertTrue(onlyPut(seen, "n").conflict());
    seen.clear();
    a.change(tx -> tx.put(ObjId.ROOT, "n", 5_002L));
    Patch.Put resolved = onlyPut(seen, "n");
    assertEquals(Value.of(ScalarValue.integer(5_002)), resolved.value());
    assertFalse(resolved.conflict());
    assertEquals("{\"n\":5002}", a.toJson());
  }

  @Test
  void cursor_survivesConcurrentEdits() {
    Document a = doc(ALICE);
    ObjId[] text = new ObjId[1];
    a.change(
        tx -> {
          text[0] = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT);
          tx.splice(text[0], 0, 0, "world");
        });
    Cursor cursor = a.cursor(text[0], 2);
    a.change(tx -> tx.splice(text[0], 0, 0, "hello "));
    assertEquals(8, a.cursorPosition(cursor));
    a.change(tx -> tx.splice(text[0], 7, 3, ""));
    assertEquals(7, a.cursorPosition(cursor));
  }

  @Test
  void marks_spansWithExpand() {
    Document doc = doc(ALICE);
    ObjId[] text = new ObjId[1];
    doc.change(
        tx -> {
          text[0] = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT);
          tx.splice(text[0], 0, 0, "hello world");
          tx.mark(text[0], 0, 5, ExpandMark.AFTER, "bold", ScalarValue.TRUE);
          tx.mark(text[0], 6, 11, ExpandMark.NONE, "link", ScalarValue.str("x"));
        });
    assertEquals(
        List.of(
            new Mark("bold", ScalarValue.TRUE, 0, 5),
            new Mark("link", ScalarValue.str("x"), 6, 11)),
        doc.marks(text[0]));
    doc.change(
        tx -> {
          tx.splice(text[0], 5, 0, "!");
          tx.splice(text[0], 12, 0, "?");
        });
    assertEquals("hello! world?", doc.text(text[0]));
    assertEquals(
        List.of(
            new Mark("bold", ScalarValue.TRUE, 0, 6),
            new Mark("link", ScalarValue.str("x"), 7, 12)),
        doc.marks(text[0]));
    doc.change(tx -> tx.unmark(text[0], 2, 4, ExpandMark.NONE, "bold"));
    assertEquals(
        List.of(
            new Mark("bold", ScalarValue.TRUE, 0, 2),
            new Mark("bold", ScalarValue.TRUE, 4, 6),
            new Mark("link", ScalarValue.str("x"), 7, 12)),
        doc.marks(text[0]));
  }

  @Test
  void toJava_nestedValues() {
    Document doc = doc(ALICE);
    doc.change(
        tx -> {
          ObjId map = tx.putObject(ObjId.ROOT, "m", ObjType.MAP);
          tx.put(map, "k", 1);
        });
    assertEquals(Map.of("m", Map.of("k", 1L)), doc.toJava(ObjId.ROOT));
    assertFalse(doc.keys(ObjId.ROOT).isEmpty());
  }

  @Test
  void applyChanges_opOnUnknownElement_rejectsWholeBatchAndChangesNothing() {
    Document a = doc(ALICE);
    ObjId[] text = new ObjId[1];
    a.change(
        tx -> {
          text[0] = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT);
          tx.splice(text[0], 0, 0, "ab");
        });
    Document b = a.fork(BOB);
    Change good = b.change(tx -> tx.put(ObjId.ROOT, "k", "v")).orElseThrow();
    Change bad =
        dev.converge.core.internal.change.ChangeChunks.encode(
            BOB,
            2,
            good.maxOp() + 1,
            0,
            Optional.empty(),
            List.of(good.hash()),
            List.of(
                new ChangeOp(
                    text[0],
                    Key.elem(ElemId.of(new OpId(999, ALICE))),
                    true,
                    Action.SET,
                    ScalarValue.str("x"),
                    List.of(),
                    false,
                    Optional.empty())),
            new byte[0]);
    String json = a.toJson();
    List<ChangeHash> heads = a.heads();
    CorruptDataException error =
        assertThrows(CorruptDataException.class, () -> a.applyChanges(List.of(good, bad)));
    assertTrue(
        String.valueOf(error.getMessage()).contains("999@" + ALICE.toHex()), error.getMessage());
    assertEquals(json, a.toJson());
    assertEquals(heads, a.heads());
    assertEquals(1, a.applyChanges(List.of(good)));
    assertEquals("{\"k\":\"v\",\"t\":\"ab\"}", a.toJson());
  }

  /**
   * A put, delete or increment on a sequence must name an element; naming the head (which only an
   * insert may) used to escape as a NoSuchElementException instead of corrupt input.
   */
  @Test
  void applyChanges_putAtTheHead_rejectedAsCorruptAndChangesNothing() {
    Document a = doc(ALICE);
    ObjId list =
        a.change(tx -> tx.putObject(ObjId.ROOT, "l", ObjType.LIST))
            .map(c -> ObjId.of(c.opId(0)))
            .orElseThrow();
    Change atHead =
        Change.fromBytes(
            dev.converge.core.internal.change.ChangeChunks.encode(
                    BOB,
                    1,
                    2,
                    0,
                    Optional.empty(),
                    a.heads(),
                    List.of(
                        new ChangeOp(
                            list,
                            Key.elem(ElemId.HEAD),
                            false,
                            Action.SET,
                            ScalarValue.integer(1),
                            List.of(),
                            false,
                            Optional.empty())),
                    new byte[0])
                .toBytes());
    byte[] saved = a.save();
    CorruptDataException error =
        assertThrows(CorruptDataException.class, () -> a.applyChanges(List.of(atHead)));
    assertTrue(String.valueOf(error.getMessage()).contains("names the head"), error.getMessage());
    assertArrayEquals(saved, a.save());
  }

  @Test
  void applyChanges_reusedSeq_rejected() {
    Document a = doc(ALICE);
    a.change(tx -> tx.put(ObjId.ROOT, "x", 1));
    Document other = doc(ALICE);
    Change clash = other.change(tx -> tx.put(ObjId.ROOT, "x", 2)).orElseThrow();
    assertThrows(CorruptDataException.class, () -> a.applyChanges(List.of(clash)));
    assertEquals("{\"x\":1}", a.toJson());
  }

  @Test
  void splice_loneSurrogate_rejectedAndNothingChanged() {
    Document doc = doc(ALICE);
    ObjId[] text = new ObjId[1];
    doc.change(tx -> text[0] = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT));
    ConvergeException error =
        assertThrows(
            ConvergeException.class, () -> doc.change(tx -> tx.splice(text[0], 0, 0, "ab\uD83D")));
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, error.kind());
    assertEquals("", doc.text(text[0]));
    assertThrows(ConvergeException.class, () -> doc.change(tx -> tx.put(ObjId.ROOT, "\uDC00", 1)));
    assertEquals(1, doc.changes().size());
  }

  @Test
  void readmeExample_behavesAsDocumented() {
    Document doc = Document.create();
    doc.change(
        tx -> {
          ObjId text = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.splice(text, 0, 0, "hello world");
          tx.put(ObjId.ROOT, "title", "greeting");
        });
    ObjId text = doc.objectAt(ObjId.ROOT, "text").orElseThrow();
    assertEquals("hello world", doc.text(text));
    Document other = doc.fork();
    other.change(tx -> tx.splice(text, 0, 5, "goodbye"));
    doc.change(tx -> tx.splice(text, 11, 0, "!"));
    doc.merge(other);
    other.merge(doc);
    assertEquals("goodbye world!", doc.text(text));
    assertEquals("goodbye world!", other.text(text));
    Document loaded = Document.load(doc.save());
    assertEquals(doc.heads(), loaded.heads());
    assertEquals(doc.toJson(), loaded.toJson());
    assertEquals(Optional.empty(), doc.objectAt(ObjId.ROOT, "title"));
  }
}
