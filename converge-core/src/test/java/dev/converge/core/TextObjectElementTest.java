package dev.converge.core;

import static dev.converge.core.DocumentTest.ALICE;
import static dev.converge.core.DocumentTest.BOB;
import static dev.converge.core.DocumentTest.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.internal.change.ChangeChunks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An element of a text shows its string only when it is a set of a string, as in JavaScript
 * Automerge 3.5: an element made as an object shows U+FFFC even when its op carries a string value
 * (no Automerge writes one, but a file may hold it; the differential run found one, kept in {@code
 * load-disagreements/}). The text, its length, a reload and the patch a listener gets agree.
 */
class TextObjectElementTest {
  @Test
  void text_elementMadeAsListWithStringValue_showsObjectReplacementCharacter() {
    Document doc = doc(ALICE);
    Change first = doc.change(tx -> tx.putObject(ObjId.ROOT, "t", ObjType.TEXT)).orElseThrow();
    ObjId text = doc.objectAt(ObjId.ROOT, "t").orElseThrow();
    List<Patch> patches = new ArrayList<>();
    doc.addListener(patches::addAll);

    doc.applyChanges(List.of(listWithStringValue(text, first)));

    assertEquals("\uFFFC", doc.text(text));
    assertEquals(1, doc.length(text));
    assertEquals("\uFFFC", Document.load(doc.save()).text(text));
    assertEquals(1, patches.size());
    assertTrue(patches.get(0) instanceof Patch.Insert, "an object is inserted: " + patches);
  }

  private static Change listWithStringValue(ObjId text, Change after) {
    return ChangeChunks.encode(
        BOB,
        1,
        after.maxOp() + 1,
        0,
        Optional.empty(),
        List.of(after.hash()),
        List.of(
            new ChangeOp(
                text,
                Key.elem(ElemId.HEAD),
                true,
                Action.MAKE_LIST,
                ScalarValue.str("x"),
                List.of(),
                false,
                Optional.empty())),
        new byte[0]);
  }
}
