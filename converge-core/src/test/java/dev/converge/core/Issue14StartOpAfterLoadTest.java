package dev.converge.core;

import static dev.converge.core.DocumentTest.ALICE;
import static dev.converge.core.DocumentTest.BOB;
import static dev.converge.core.DocumentTest.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the simulator's replicas stopped converging ("op 13 refers to element 12@… missing")
 * once document chunks were loaded as JavaScript Automerge 3.5 loads them, where a change holds the
 * counters {@code (largest maxOp of its deps, maxOp]} of its actor.
 *
 * <p>The bug was older: a document loaded from a document chunk took its next startOp from the
 * largest counter among the stored ops. A document chunk stores no delete op (a delete is only a
 * successor of what it deletes), so when the last changes ended in deletes, the next local change
 * started at or below the maxOp of its own deps. Such a change is fine on its own, but in a
 * document chunk its first ops fall below its range: a peer rebuilding the changes from that chunk
 * (a sync peer catching up, or a restart reading the disk) left them in no change, then refused the
 * next op that named one of them. Automerge starts a local change after the largest maxOp of every
 * change, and so does Converge now. Each test loads a document whose last change only deletes,
 * edits it as another actor, and checks the startOp and both ways the edit travels as a document
 * chunk.
 */
class Issue14StartOpAfterLoadTest {
  @Test
  void load_lastChangeOnlyDeletes_nextChangeStartsAfterItsMaxOp() {
    Document alice = listThenDeleted();
    Document bob = Document.load(alice.save(), LoadOptions.DEFAULT, BOB, () -> 0L);

    Change change = bob.change(tx -> tx.insert(list(bob), 0, ScalarValue.str("a"))).orElseThrow();

    assertEquals(6, change.startOp(), "alice's changes end at maxOp 5, deletes included");
  }

  @Test
  void documentChunk_afterLocalEditOfLoadedDocument_rebuildsEveryOp() {
    Document alice = listThenDeleted();
    Document bob = Document.load(alice.save(), LoadOptions.DEFAULT, BOB, () -> 0L);
    bob.change(
        tx -> {
          tx.insert(list(bob), 0, ScalarValue.str("a"));
          tx.insert(list(bob), 1, ScalarValue.str("b"));
        });

    Document reloaded = Document.load(bob.save());
    assertEquals("{\"list\":[\"a\",\"b\"]}", reloaded.toJson());
    assertEquals(bob.heads(), reloaded.heads());
    // A peer with alice's changes takes bob's whole document, as a sync peer may send it.
    alice.loadIncremental(bob.save(), LoadOptions.DEFAULT);
    assertEquals(bob.toJson(), alice.toJson());
    assertEquals(bob.heads(), alice.heads());
  }

  @Test
  void loadIncremental_intoEmptyDocument_nextChangeStartsAfterItsMaxOp() {
    Document alice = listThenDeleted();
    Document bob = doc(BOB);
    bob.loadIncremental(alice.save(), LoadOptions.DEFAULT);

    Change change = bob.change(tx -> tx.insert(list(bob), 0, ScalarValue.str("a"))).orElseThrow();

    assertEquals(6, change.startOp());
    assertEquals(List.of(change.hash()), Document.load(bob.save()).heads());
  }

  /** A list of two elements (ops 1 to 3), then a change deleting both (ops 4 and 5). */
  private static Document listThenDeleted() {
    Document alice = doc(ALICE);
    alice.change(
        tx -> {
          ObjId list = tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
          tx.insert(list, 0, ScalarValue.str("x"));
          tx.insert(list, 1, ScalarValue.str("y"));
        });
    Change deletes =
        alice
            .change(
                tx -> {
                  tx.delete(list(alice), 0);
                  tx.delete(list(alice), 0);
                })
            .orElseThrow();
    assertEquals(5, deletes.maxOp());
    return alice;
  }

  private static ObjId list(Document doc) {
    return doc.objectAt(ObjId.ROOT, "list").orElseThrow();
  }
}
