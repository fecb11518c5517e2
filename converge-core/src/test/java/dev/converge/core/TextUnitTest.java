package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Text counted in each {@link TextUnit}, one edge case at a time. Most tests use the text {@code
 * "a😀é中"}: an ASCII letter, an emoji outside the Basic Multilingual Plane (2 UTF-16 units, 4 UTF-8
 * bytes), a two-byte and a three-byte character. Its positions are:
 *
 * <pre>
 *            a   😀      é   中
 * UTF-16     0   1 2     3   4     length 5
 * code point 0   1       2   3     length 4
 * UTF-8      0   1 2 3 4 5 6 7 8 9 length 10
 * </pre>
 *
 * Every refused edit is checked to change nothing: the saved bytes are the same before and after.
 */
class TextUnitTest {
  static final ActorId ALICE = ActorId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  static final ActorId BOB = ActorId.fromHex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  static final String SAMPLE = "a😀é中";

  /** A document counting text in {@code unit}, holding a text at "t". */
  static Document doc(TextUnit unit, String content) {
    Document doc = Document.create(ALICE, () -> 1_700_000_000_000L, new DocumentOptions(unit));
    doc.change(
        tx -> {
          ObjId text = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT);
          tx.splice(text, 0, 0, content);
        });
    return doc;
  }

  static ObjId text(Document doc) {
    return doc.objectAt(ObjId.ROOT, "t").orElseThrow();
  }

  /**
   * Runs {@code refused}, which must throw a split at {@code index}, and checks nothing changed.
   */
  static CharacterSplitException assertSplit(
      Document doc, long index, TextUnit unit, Executable refused) {
    byte[] before = doc.save();
    List<ChangeHash> heads = doc.heads();
    CharacterSplitException e = assertThrows(CharacterSplitException.class, refused);
    assertEquals(index, e.index());
    assertEquals(unit, e.unit());
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
    assertArrayEquals(before, doc.save());
    assertEquals(heads, doc.heads());
    return e;
  }

  @Test
  void length_sameText_countsEachUnit() {
    assertEquals(5, TextUnit.UTF16.length(SAMPLE));
    assertEquals(4, TextUnit.CODE_POINT.length(SAMPLE));
    assertEquals(10, TextUnit.UTF8.length(SAMPLE));
    Document doc = doc(TextUnit.UTF16, SAMPLE);
    ObjId text = text(doc);
    assertEquals(TextUnit.UTF16, doc.textUnit());
    assertEquals(5, doc.length(text));
    assertEquals(4, doc.inUnit(TextUnit.CODE_POINT).length(text));
    assertEquals(10, doc.inUnit(TextUnit.UTF8).length(text));
    assertEquals(TextUnit.UTF8, doc.inUnit(TextUnit.UTF8).textUnit());
  }

  @Test
  void splice_codePointDocument_countsCodePoints() {
    Document doc = doc(TextUnit.CODE_POINT, SAMPLE);
    ObjId text = text(doc);
    doc.change(tx -> tx.splice(text, 2, 1, "X"));
    assertEquals("a😀X中", doc.text(text));
    doc.change(tx -> tx.splice(text, 4, 0, "!"));
    doc.change(tx -> tx.splice(text, 1, 1, "🎉🎉"));
    assertEquals("a🎉🎉X中!", doc.text(text));
    assertEquals(6, doc.length(text));
    doc.change(tx -> tx.delete(text, 2));
    assertEquals("a🎉X中!", doc.text(text));
    assertEquals(Value.of(ScalarValue.str("中")), doc.get(text, 3).orElseThrow());
    assertEquals("🎉X", doc.text(text, 1, 3));
  }

  @Test
  void splice_utf8Document_countsBytes() {
    Document doc = doc(TextUnit.UTF8, SAMPLE);
    ObjId text = text(doc);
    assertEquals(10, doc.length(text));
    doc.change(tx -> tx.splice(text, 5, 2, ""));
    assertEquals("a😀中", doc.text(text));
    doc.change(tx -> tx.splice(text, 1, 0, "é"));
    assertEquals("aé😀中", doc.text(text));
    assertEquals("😀", doc.text(text, 3, 7));
    assertEquals(Value.of(ScalarValue.str("中")), doc.get(text, 7).orElseThrow());
  }

  @Test
  void splice_insideSurrogatePair_refusedAndNothingChanged() {
    Document doc = doc(TextUnit.UTF16, SAMPLE);
    ObjId text = text(doc);
    CharacterSplitException e =
        assertSplit(doc, 2, TextUnit.UTF16, () -> doc.change(tx -> tx.splice(text, 2, 0, "x")));
    assertTrue(String.valueOf(e.getMessage()).contains("U+1F600 at 1..3"), e.getMessage());
    assertSplit(doc, 2, TextUnit.UTF16, () -> doc.change(tx -> tx.splice(text, 1, 1, "")));
    assertSplit(doc, 2, TextUnit.UTF16, () -> doc.change(tx -> tx.splice(text, 2, 2, "")));
    assertSplit(doc, 2, TextUnit.UTF16, () -> doc.change(tx -> tx.delete(text, 2)));
    assertSplit(doc, 2, TextUnit.UTF16, () -> doc.get(text, 2));
    assertSplit(doc, 2, TextUnit.UTF16, () -> doc.text(text, 0, 2));
    assertSplit(doc, 2, TextUnit.UTF16, () -> doc.text(text, 2, 5));
    assertSplit(doc, 2, TextUnit.UTF16, () -> doc.cursor(text, 2));
    assertSplit(
        doc,
        2,
        TextUnit.UTF16,
        () -> doc.change(tx -> tx.mark(text, 0, 2, ExpandMark.NONE, "b", ScalarValue.TRUE)));
    assertEquals("😀", doc.text(text, 1, 3));
  }

  @Test
  void splice_insideUtf8Sequence_refusedAndNothingChanged() {
    Document doc = doc(TextUnit.UTF8, SAMPLE);
    ObjId text = text(doc);
    assertSplit(doc, 6, TextUnit.UTF8, () -> doc.change(tx -> tx.splice(text, 6, 0, "x")));
    // A range whose start is fine but whose end cuts 中 (7..10) in two.
    assertSplit(doc, 8, TextUnit.UTF8, () -> doc.change(tx -> tx.splice(text, 0, 8, "")));
    assertSplit(doc, 9, TextUnit.UTF8, () -> doc.change(tx -> tx.splice(text, 7, 2, "")));
    assertSplit(doc, 3, TextUnit.UTF8, () -> doc.inUnit(TextUnit.UTF8).text(text, 3, 10));
    assertEquals("é中", doc.text(text, 5, 10));
  }

  @Test
  void change_splitAfterValidEdits_rollsBackTheWholeChange() {
    Document doc = doc(TextUnit.UTF8, SAMPLE);
    ObjId text = text(doc);
    assertSplit(
        doc,
        2,
        TextUnit.UTF8,
        () ->
            doc.change(
                tx -> {
                  tx.splice(text, 0, 1, "b");
                  tx.splice(text, 2, 0, "x");
                }));
    assertEquals(SAMPLE, doc.text(text));
  }

  @Test
  void splice_atEndOfText_allowedInEveryUnit() {
    for (TextUnit unit : TextUnit.values()) {
      Document doc = doc(unit, SAMPLE);
      ObjId text = text(doc);
      int end = unit.length(SAMPLE);
      doc.change(tx -> tx.splice(text, end, 0, "z"));
      assertEquals(SAMPLE + "z", doc.text(text));
      assertEquals("z", doc.text(text, end, end + 1));
      assertEquals("", doc.text(text, end + 1, end + 1));
      ConvergeException past =
          assertThrows(
              ConvergeException.class, () -> doc.change(tx -> tx.splice(text, end + 2, 0, "y")));
      assertFalse(past instanceof CharacterSplitException, past.toString());
      assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, past.kind());
    }
  }

  @Test
  void emptyText_everyUnitCountsZero() {
    for (TextUnit unit : TextUnit.values()) {
      Document doc = doc(unit, "");
      ObjId text = text(doc);
      assertEquals(0, doc.length(text));
      assertEquals("", doc.text(text, 0, 0));
      assertEquals(Optional.empty(), doc.get(text, 0));
      assertThrows(ConvergeException.class, () -> doc.cursor(text, 0));
      assertThrows(ConvergeException.class, () -> doc.change(tx -> tx.delete(text, 0)));
      doc.change(tx -> tx.splice(text, 0, 0, ""));
      assertEquals(1, doc.changeCount());
      doc.change(tx -> tx.splice(text, 0, 0, "😀"));
      assertEquals(unit.length("😀"), doc.length(text));
    }
  }

  @Test
  void marks_spanningEmoji_readInEveryUnit() {
    Document doc = doc(TextUnit.CODE_POINT, SAMPLE);
    ObjId text = text(doc);
    doc.change(tx -> tx.mark(text, 1, 3, ExpandMark.NONE, "bold", ScalarValue.TRUE));
    assertEquals(List.of(new Mark("bold", ScalarValue.TRUE, 1, 3)), doc.marks(text));
    assertEquals(
        List.of(new Mark("bold", ScalarValue.TRUE, 1, 4)), doc.inUnit(TextUnit.UTF16).marks(text));
    assertEquals(
        List.of(new Mark("bold", ScalarValue.TRUE, 1, 7)), doc.inUnit(TextUnit.UTF8).marks(text));
    Document loaded = Document.load(doc.save(), LoadOptions.DEFAULT.withTextUnit(TextUnit.UTF8));
    assertEquals(List.of(new Mark("bold", ScalarValue.TRUE, 1, 7)), loaded.marks(text));
  }

  @Test
  void marks_madeThroughUtf8View_patchedInDocumentUnit() {
    Document doc = doc(TextUnit.UTF16, SAMPLE);
    ObjId text = text(doc);
    List<Patch> seen = new ArrayList<>();
    doc.addListener(seen::addAll);
    doc.change(
        tx ->
            tx.inUnit(TextUnit.UTF8)
                .mark(text, 1, 7, ExpandMark.AFTER, "em", ScalarValue.str("x")));
    assertEquals(
        List.of(
            new Patch.MarkSpans(
                text,
                List.of(new PathElement.Key("t")),
                List.of(new Mark("em", ScalarValue.str("x"), 1, 4)))),
        seen);
  }

  @Test
  void cursor_onEmoji_positionInEveryUnit() {
    Document doc = doc(TextUnit.CODE_POINT, SAMPLE);
    ObjId text = text(doc);
    Cursor cursor = doc.cursor(text, 3);
    assertEquals(Value.of(ScalarValue.str("中")), doc.get(text, 3).orElseThrow());
    doc.change(tx -> tx.inUnit(TextUnit.UTF16).splice(text, 0, 0, "😀😀"));
    assertEquals(5, doc.cursorPosition(cursor));
    assertEquals(8, doc.inUnit(TextUnit.UTF16).cursorPosition(cursor));
    assertEquals(15, doc.inUnit(TextUnit.UTF8).cursorPosition(cursor));
    assertEquals(cursor, doc.inUnit(TextUnit.UTF8).cursor(text, 15));
    doc.change(tx -> tx.splice(text, 4, 2, ""));
    // Its character is gone: the cursor resolves to where it was.
    assertEquals(4, doc.cursorPosition(cursor));
    assertEquals(7, doc.inUnit(TextUnit.UTF16).cursorPosition(cursor));
  }

  @Test
  void patches_utf8Document_countBytes() {
    Document a = doc(TextUnit.UTF8, SAMPLE);
    ObjId text = text(a);
    List<Patch> seen = new ArrayList<>();
    a.addListener(seen::addAll);
    List<PathElement> path = List.of(new PathElement.Key("t"));
    a.change(tx -> tx.splice(text, 10, 0, "é!"));
    assertEquals(List.of(new Patch.SpliceText(text, path, 10, "é!")), seen);
    seen.clear();
    a.change(tx -> tx.splice(text, 1, 6, ""));
    assertEquals(List.of(new Patch.Delete(text, path, 1, 6)), seen);

    Document b = a.fork(BOB);
    assertEquals(TextUnit.UTF8, b.textUnit());
    b.change(tx -> tx.splice(text, 1, 0, "😀"));
    seen.clear();
    a.merge(b);
    assertEquals(List.of(new Patch.SpliceText(text, path, 1, "😀")), seen);
    assertEquals("a😀中é!", a.text(text));
  }

  @Test
  void transaction_editsInTwoUnits_oneChange() {
    Document doc = doc(TextUnit.UTF16, SAMPLE);
    ObjId text = text(doc);
    Change change =
        doc.change(
                tx -> {
                  tx.inUnit(TextUnit.CODE_POINT).splice(text, 2, 0, "1");
                  tx.inUnit(TextUnit.UTF8).splice(text, 1, 0, "2");
                  tx.splice(text, 0, 0, "3");
                  assertEquals(8, tx.length(text));
                  assertEquals(7, tx.inUnit(TextUnit.CODE_POINT).length(text));
                })
            .orElseThrow();
    assertEquals(3, change.ops().size());
    assertEquals("3a2😀1é中", doc.text(text));
  }

  @Test
  void objectInText_countsAsReplacementCharacter() {
    Document doc = doc(TextUnit.UTF16, "ab");
    ObjId text = text(doc);
    doc.change(tx -> tx.insertObject(text, 1, ObjType.MAP));
    assertEquals("a\uFFFCb", doc.text(text));
    assertEquals(3, doc.length(text));
    assertEquals(3, doc.inUnit(TextUnit.CODE_POINT).length(text));
    assertEquals(5, doc.inUnit(TextUnit.UTF8).length(text));
    assertEquals("b", doc.inUnit(TextUnit.UTF8).text(text, 4, 5));
    assertSplit(doc, 2, TextUnit.UTF8, () -> doc.inUnit(TextUnit.UTF8).cursor(text, 2));
  }

  @Test
  void elementOfSeveralCodePoints_isOneCharacterInEveryUnit() {
    // Converge's splice makes one element per code point, but a single insert (or a peer's op)
    // may hold a longer string in one element; no index may fall inside it.
    Document doc = doc(TextUnit.CODE_POINT, "xy");
    ObjId text = text(doc);
    doc.change(tx -> tx.insert(text, 1, ScalarValue.str("e\u0301😀")));
    assertEquals("xe\u0301😀y", doc.text(text));
    assertEquals(5, doc.length(text));
    assertEquals(6, doc.inUnit(TextUnit.UTF16).length(text));
    assertEquals(9, doc.inUnit(TextUnit.UTF8).length(text));
    // An empty splice still names a position, which must not fall inside a character.
    CharacterSplitException e =
        assertSplit(doc, 2, TextUnit.CODE_POINT, () -> doc.change(tx -> tx.splice(text, 2, 0, "")));
    assertTrue(String.valueOf(e.getMessage()).contains("U+0065 U+0301 U+1F600"), e.getMessage());
    doc.change(tx -> tx.splice(text, 1, 3, ""));
    assertEquals("xy", doc.text(text));
  }

  @Test
  void loadAndFork_chooseTheUnit() {
    Document doc = doc(TextUnit.UTF16, SAMPLE);
    ObjId text = text(doc);
    byte[] saved = doc.save();
    Document inBytes = Document.load(saved, LoadOptions.DEFAULT.withTextUnit(TextUnit.UTF8));
    assertEquals(TextUnit.UTF8, inBytes.textUnit());
    assertEquals(10, inBytes.length(text));
    Document inCodePoints = doc.fork(BOB, new DocumentOptions(TextUnit.CODE_POINT));
    assertEquals(4, inCodePoints.length(text));
    assertEquals(TextUnit.CODE_POINT, inCodePoints.fork().textUnit());
    Document incremental = Document.create(new DocumentOptions(TextUnit.CODE_POINT));
    incremental.loadIncremental(saved, LoadOptions.DEFAULT);
    assertEquals(4, incremental.length(text));
  }

  @Test
  void timeTravel_readsPastTextInAnyUnit() {
    Document doc = doc(TextUnit.UTF16, SAMPLE);
    ObjId text = text(doc);
    List<ChangeHash> before = doc.heads();
    doc.change(tx -> tx.splice(text, 0, 3, ""));
    ReadableDocument past = doc.at(before).inUnit(TextUnit.UTF8);
    assertEquals(10, past.length(text));
    assertEquals("😀é", past.text(text, 1, 7));
    assertEquals(List.of(), past.marks(text));
    assertThrows(CharacterSplitException.class, () -> past.text(text, 2, 7));
    assertEquals(2, doc.inUnit(TextUnit.CODE_POINT).length(text));
  }

  @Test
  void loneSurrogate_refusedInEveryUnit() {
    for (TextUnit unit : TextUnit.values()) {
      Document doc = doc(unit, "ab");
      ObjId text = text(doc);
      Consumer<Transaction> lone = tx -> tx.splice(text, 1, 0, "\uD83D");
      ConvergeException e = assertThrows(ConvergeException.class, () -> doc.change(lone));
      assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
      assertEquals("ab", doc.text(text));
    }
  }

  @Test
  void inUnit_readsWithoutText_matchTheDocument() {
    Document doc = doc(TextUnit.UTF16, "abc");
    Document other = doc.fork(BOB);
    doc.change(tx -> tx.put(ObjId.ROOT, "k", 1));
    other.change(tx -> tx.put(ObjId.ROOT, "k", 2));
    doc.merge(other);
    doc.change(
        tx -> {
          ObjId list = tx.putObject(ObjId.ROOT, "l", ObjType.LIST);
          tx.insert(list, 0, ScalarValue.integer(7));
          tx.insertObject(list, 1, ObjType.MAP);
        });
    ObjId list = doc.objectAt(ObjId.ROOT, "l").orElseThrow();
    ObjId text = text(doc);
    ReadableDocument view = doc.inUnit(TextUnit.UTF8);

    assertEquals(doc.objType(list), view.objType(list));
    assertEquals(2, view.conflicts(ObjId.ROOT, "k").size());
    assertEquals(doc.conflicts(ObjId.ROOT, "k"), view.conflicts(ObjId.ROOT, "k"));
    assertEquals(doc.conflicts(list, 0), view.conflicts(list, 0));
    assertEquals(doc.keys(ObjId.ROOT), view.keys(ObjId.ROOT));
    assertEquals(doc.length(list), view.length(list));
    assertEquals(doc.values(list), view.values(list));
    assertEquals(doc.marks(text), view.marks(text));
    assertEquals(doc.toJava(ObjId.ROOT), view.toJava(ObjId.ROOT));
    assertEquals(doc.toJson(), view.toJson());
    assertEquals(TextUnit.CODE_POINT, view.inUnit(TextUnit.CODE_POINT).textUnit());
    assertTrue(view.inUnit(TextUnit.UTF16) == doc);
  }

  @Test
  void inUnit_readsLater_seeTheCurrentState() {
    Document doc = doc(TextUnit.UTF16, "a");
    ReadableDocument view = doc.inUnit(TextUnit.UTF8);
    ObjId text = text(doc);
    doc.change(tx -> tx.splice(text, 1, 0, "é"));
    assertEquals("aé", view.text(text));
    assertEquals(3, view.length(text));
  }

  @Test
  void loneSurrogateIndex_pairsAndLoneOnes_findsTheFirstLone() {
    assertEquals(OptionalInt.empty(), TextUnit.loneSurrogateIndex(""));
    assertEquals(OptionalInt.empty(), TextUnit.loneSurrogateIndex(SAMPLE));
    assertEquals(OptionalInt.of(1), TextUnit.loneSurrogateIndex("a\uD83D"));
    assertEquals(OptionalInt.of(0), TextUnit.loneSurrogateIndex("\uDE00\uD83D"));
    assertEquals(OptionalInt.of(3), TextUnit.loneSurrogateIndex("\uD83D\uDE00x\uDE00"));
    assertEquals(OptionalInt.of(2), TextUnit.loneSurrogateIndex("\uD83D\uDE00\uD83Dx"));
  }
}
