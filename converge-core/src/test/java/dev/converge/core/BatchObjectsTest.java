package dev.converge.core;

import static dev.converge.core.DocumentTest.ALICE;
import static dev.converge.core.DocumentTest.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.internal.change.ChangeChunks;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * As JavaScript Automerge 3.5 applies a batch of changes as a whole, an op may act on an object an
 * op of the batch makes later, or one a map op with the insert flag makes (out of the root's
 * reach); an op on an object no op makes, or one made inside itself, is refused. The differential
 * run found such files, kept in {@code load-disagreements/}.
 */
class BatchObjectsTest {
  private static final ObjId SECOND = ObjId.of(new OpId(2, ALICE));

  @Test
  void applyChanges_opOnObjectMadeLaterInBatch_objectShowsTheOp() {
    Document doc = doc(ALICE);

    doc.applyChanges(List.of(change(put(SECOND, "k", 7), makeMap(ObjId.ROOT, "m"))));

    assertEquals(Optional.of(SECOND), doc.objectAt(ObjId.ROOT, "m"));
    assertEquals(Optional.of(new Value.Scalar(ScalarValue.integer(7))), doc.get(SECOND, "k"));
    Document reloaded = Document.load(doc.save());
    assertEquals(doc.heads(), reloaded.heads());
    assertEquals(Optional.of(new Value.Scalar(ScalarValue.integer(7))), reloaded.get(SECOND, "k"));
  }

  @Test
  void applyChanges_objectMadeInsideItself_isRefusedAndChangesNothing() {
    Document doc = doc(ALICE);
    ObjId first = ObjId.of(new OpId(1, ALICE));

    // JavaScript accepts it, but does not load its own save of the result again.
    assertThrows(
        CorruptDataException.class,
        () -> doc.applyChanges(List.of(change(makeMap(first, "self"), put(ObjId.ROOT, "a", 1)))));

    assertEquals(List.of(), doc.heads());
    assertEquals(List.of(), doc.keys(ObjId.ROOT));
  }

  @Test
  void applyChanges_objectMadeByMapOpWithInsertFlag_takesOpsOutOfReach() {
    Document doc = doc(ALICE);
    ObjId first = ObjId.of(new OpId(1, ALICE));
    ChangeOp hiddenMake =
        new ChangeOp(
            ObjId.ROOT,
            Key.prop("m"),
            true,
            Action.MAKE_MAP,
            ScalarValue.NULL,
            List.of(),
            false,
            Optional.empty());

    doc.applyChanges(List.of(change(hiddenMake, put(first, "k", 7))));

    assertEquals(List.of(), doc.keys(ObjId.ROOT));
    Document reloaded = Document.load(doc.save());
    assertEquals(doc.heads(), reloaded.heads());
    assertEquals(List.of(), reloaded.keys(ObjId.ROOT));
  }

  @Test
  void applyChanges_opOnObjectNoOpMakes_isRefusedAndChangesNothing() {
    Document doc = doc(ALICE);

    assertThrows(
        CorruptDataException.class,
        () -> doc.applyChanges(List.of(change(put(ObjId.ROOT, "a", 1), put(SECOND, "k", 7)))));

    assertEquals(List.of(), doc.heads());
    assertEquals(List.of(), doc.keys(ObjId.ROOT));
  }

  private static ChangeOp put(ObjId obj, String key, long value) {
    return new ChangeOp(
        obj,
        Key.prop(key),
        false,
        Action.SET,
        ScalarValue.integer(value),
        List.of(),
        false,
        Optional.empty());
  }

  private static ChangeOp makeMap(ObjId obj, String key) {
    return new ChangeOp(
        obj,
        Key.prop(key),
        false,
        Action.MAKE_MAP,
        ScalarValue.NULL,
        List.of(),
        false,
        Optional.empty());
  }

  private static Change change(ChangeOp... ops) {
    return ChangeChunks.encode(
        ALICE, 1, 1, 0, Optional.empty(), List.of(), List.of(ops), new byte[0]);
  }
}
