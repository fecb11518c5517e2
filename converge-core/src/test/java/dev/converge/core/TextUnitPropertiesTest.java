package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Text in every {@link TextUnit} against plain reference models ({@link TextModel}: a string for
 * UTF-16, an array of code points, an array of UTF-8 bytes), over random text mixing ASCII, two-,
 * three- and four-byte characters, combining marks, CJK, emoji with modifiers and ZWJ sequences.
 *
 * <p>How: every choice comes from one {@link Random} seeded by jqwik, so a failing seed replays.
 * Positions are drawn uniformly over the model's units, so some fall inside a character: those
 * edits must be refused with {@link CharacterSplitException} and change nothing; the others must do
 * to the document exactly what they do to the model.
 */
class TextUnitPropertiesTest {
  static final ActorId ALICE = ActorId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  static final ActorId BOB = ActorId.fromHex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

  /** Pieces inserted text is made of. */
  static final String[] PIECES = {
    "a",
    "Z",
    " ",
    "\n",
    "é",
    "ß",
    "€",
    "中",
    "日本",
    "한",
    "ب",
    "😀",
    "𝄞",
    "👍🏽",
    "👨‍👩‍👧",
    "e\u0301",
    "\u0301",
  };

  static String randomText(Random random, int piecesMax) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(piecesMax + 1); i > 0; i--) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  static Document doc(ActorId actor, TextUnit unit) {
    return Document.create(actor, () -> 1_700_000_000_000L, new DocumentOptions(unit));
  }

  static ObjId makeText(Document doc) {
    ObjId[] text = new ObjId[1];
    doc.change(tx -> text[0] = tx.putObject(ObjId.ROOT, "t", ObjType.TEXT));
    return text[0];
  }

  /** A model holding {@code text}. */
  static TextModel modelOf(TextUnit unit, String text) {
    TextModel model = TextModel.of(unit);
    model.splice(0, 0, text);
    return model;
  }

  /** A position of {@code model} that is a character boundary, drawn uniformly among them. */
  static int boundary(TextModel model, Random random) {
    while (true) {
      int index = random.nextInt(model.length() + 1);
      if (model.boundary(index)) {
        return index;
      }
    }
  }

  @Property(tries = 150)
  void splices_inEachUnit_agreeWithModel(@ForAll long seed, @ForAll TextUnit unit) {
    Random random = new Random(seed);
    Document doc = doc(ALICE, unit);
    ObjId text = makeText(doc);
    TextModel model = TextModel.of(unit);
    for (int round = 0; round < 8; round++) {
      doc.change(
          tx -> {
            for (int edit = 1 + random.nextInt(5); edit > 0; edit--) {
              int length = model.length();
              int index = random.nextInt(length + 1);
              int end = index + random.nextInt(length - index + 1);
              String insert = randomText(random, 3);
              if (model.boundary(index) && model.boundary(end)) {
                tx.splice(text, index, end - index, insert);
                model.splice(index, end - index, insert);
              } else {
                CharacterSplitException e =
                    assertThrows(
                        CharacterSplitException.class,
                        () -> tx.splice(text, index, end - index, insert));
                assertEquals(model.boundary(index) ? end : index, e.index());
                assertEquals(unit, e.unit());
                assertEquals(model.text(), tx.text(text));
              }
            }
          });
      assertEquals(model.text(), doc.text(text));
      assertEquals(model.length(), doc.length(text));
      int start = boundary(model, random);
      int stop = boundary(model, random);
      assertEquals(
          model.slice(Math.min(start, stop), Math.max(start, stop)),
          doc.text(text, Math.min(start, stop), Math.max(start, stop)));
    }
    Document loaded = Document.load(doc.save(), LoadOptions.DEFAULT.withTextUnit(unit));
    assertEquals(model.length(), loaded.length(text));
    assertEquals(model.text(), loaded.text(text));
  }

  @Property(tries = 100)
  void patches_inEachUnit_replayOnModel(@ForAll long seed, @ForAll TextUnit unit) {
    Random random = new Random(seed);
    Document a = doc(ALICE, unit);
    ObjId text = makeText(a);
    Document b = a.fork(BOB);
    TextModel replayed = TextModel.of(unit);
    a.addListener(patches -> replay(patches, text, replayed));
    for (int step = 0; step < 12; step++) {
      int choice = random.nextInt(4);
      if (choice == 3) {
        a.merge(b);
      } else if (choice == 2) {
        b.merge(a);
      } else {
        Document target = choice == 0 ? a : b;
        target.change(
            tx -> {
              for (int edit = 1 + random.nextInt(3); edit > 0; edit--) {
                TextModel current = modelOf(unit, tx.text(text));
                int index = boundary(current, random);
                int end = index + random.nextInt(current.length() - index + 1);
                while (!current.boundary(end)) {
                  end--;
                }
                tx.splice(text, index, end - index, randomText(random, 4));
              }
            });
      }
      assertEquals(a.text(text), replayed.text(), "after step " + step);
    }
  }

  /** Applies the text patches of {@code patches} to {@code model}, by the model's own indexes. */
  static void replay(List<Patch> patches, ObjId text, TextModel model) {
    for (Patch patch : patches) {
      if (!patch.obj().equals(text)) {
        continue;
      }
      if (patch instanceof Patch.SpliceText splice) {
        model.splice(splice.index(), 0, splice.text());
      } else if (patch instanceof Patch.Delete delete) {
        model.splice(delete.index(), delete.length(), "");
      } else {
        throw new AssertionError("unexpected patch on text: " + patch);
      }
    }
  }

  @Property(tries = 150)
  void positions_convertBetweenUnits_asTheModelsDo(@ForAll long seed) {
    Random random = new Random(seed);
    Document doc = doc(ALICE, TextUnit.UTF16);
    ObjId text = makeText(doc);
    for (int round = 0; round < 4; round++) {
      doc.change(
          tx -> {
            TextModel current = modelOf(TextUnit.UTF16, tx.text(text));
            int index = boundary(current, random);
            int end = index;
            while (end < current.length() && random.nextInt(3) == 0) {
              end++;
            }
            while (!current.boundary(end)) {
              end++;
            }
            tx.splice(text, index, end - index, randomText(random, 12));
          });
    }
    String content = doc.text(text);
    for (TextUnit from : TextUnit.values()) {
      TextModel model = modelOf(from, content);
      if (model.length() == 0) {
        continue;
      }
      int start = boundary(model, random);
      int end = boundary(model, random);
      int low = Math.min(start, end);
      int high = Math.max(start, end);
      // A cursor names an existing character: the last one starting at or before low.
      int cursorIndex = Math.min(low, model.length() - 1);
      while (!model.boundary(cursorIndex)) {
        cursorIndex--;
      }
      int cursorAt = cursorIndex;
      Cursor cursor = doc.inUnit(from).cursor(text, cursorAt);
      String name = "m" + from;
      doc.change(
          tx -> tx.inUnit(from).mark(text, low, high, ExpandMark.NONE, name, ScalarValue.TRUE));
      for (TextUnit to : TextUnit.values()) {
        String before = model.slice(0, cursorAt);
        ReadableDocument view = doc.inUnit(to);
        assertEquals(to.length(before), view.cursorPosition(cursor), from + " -> " + to);
        int expectedStart = to.length(model.slice(0, low));
        int expectedEnd = to.length(model.slice(0, high));
        List<Mark> spans =
            view.marks(text).stream().filter(mark -> mark.name().equals(name)).toList();
        List<Mark> expected =
            low == high
                ? List.of()
                : List.of(new Mark(name, ScalarValue.TRUE, expectedStart, expectedEnd));
        assertEquals(expected, spans, from + " -> " + to);
        assertEquals(model.slice(low, high), view.text(text, expectedStart, expectedEnd));
      }
    }
  }
}
