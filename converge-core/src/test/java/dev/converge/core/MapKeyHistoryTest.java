package dev.converge.core;

import static dev.converge.core.DocumentTest.ALICE;
import static dev.converge.core.DocumentTest.BOB;
import static dev.converge.core.DocumentTest.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A map key written many times keeps every op in its history, and the engine finds the visible ones
 * from a hint (an index before which every op is overwritten) instead of scanning the history on
 * each put. The hint is not kept up by the op set, so these tests build the two histories that
 * could fool a careless one: a concurrent value that lands before the hint (a merge), and a hint
 * moved by a transaction that is then rolled back. Each result is compared with the same document
 * loaded from its saved bytes, which has no hints.
 */
class MapKeyHistoryTest {
  private static final int PUTS = 200;

  @Test
  void put_longHistory_namesOnlyTheVisibleValueAsPredecessor() {
    Document doc = doc(ALICE);
    Change last = doc.change(tx -> tx.put(ObjId.ROOT, "k", 0)).orElseThrow();
    for (int i = 1; i < PUTS; i++) {
      int value = i;
      last = doc.change(tx -> tx.put(ObjId.ROOT, "k", value)).orElseThrow();
    }
    List<OpId> preds = last.ops().get(0).pred();
    assertEquals(List.of(new OpId(PUTS - 1, ALICE)), preds);
    assertEquals(1, doc.conflicts(ObjId.ROOT, "k").size());
    assertEquals("{\"k\":" + (PUTS - 1) + "}", doc.toJson());
    assertSameAsLoaded(doc);
  }

  @Test
  void merge_concurrentValueBeforeTheHint_staysVisibleAndIsOverwritten() {
    // Bob's op (counter 2) sorts near the start of the key's history, far before the hint.
    Document alice = overwrittenThenMerged(PUTS);
    assertEquals(2, alice.conflicts(ObjId.ROOT, "k").size());
    assertSameAsLoaded(alice);

    Change resolved = alice.change(tx -> tx.put(ObjId.ROOT, "k", "resolved")).orElseThrow();
    assertEquals(2, resolved.ops().get(0).pred().size());
    assertEquals(1, alice.conflicts(ObjId.ROOT, "k").size());
    assertEquals("{\"k\":\"resolved\"}", alice.toJson());
    assertSameAsLoaded(alice);
  }

  @Test
  void change_throwsAfterMovingTheHint_concurrentValuesVisibleAgain() {
    Document alice = overwrittenThenMerged(20);
    String before = alice.toJson();
    // Inside the transaction the first put hides both values and the second moves the hint past
    // them, to the end of the key's history before the transaction (a few more puts leave it
    // there). The rollback must not leave that hint behind: it would still fit the key's ops, and
    // both values would look overwritten.
    assertThrows(
        IllegalStateException.class,
        () ->
            alice.change(
                tx -> {
                  for (int i = 0; i < 5; i++) {
                    tx.put(ObjId.ROOT, "k", "lost " + i);
                  }
                  throw new IllegalStateException("callback fails");
                }));
    assertRolledBack(alice, before);
    assertEquals(List.of("k"), alice.keys(ObjId.ROOT));
    Change resolved = alice.change(tx -> tx.put(ObjId.ROOT, "k", "resolved")).orElseThrow();
    assertEquals(2, resolved.ops().get(0).pred().size());
  }

  @Test
  void readInsideChange_thatThrows_leavesNoHintBehind() {
    Document alice = overwrittenThenMerged(20);
    String before = alice.toJson();
    // The put hides both values; a read of the document from inside the callback sees only the
    // new one and must not record a hint for it, since the transaction is rolled back.
    assertThrows(
        IllegalStateException.class,
        () ->
            alice.change(
                tx -> {
                  tx.put(ObjId.ROOT, "k", "lost");
                  assertEquals("{\"k\":\"lost\"}", alice.toJson());
                  throw new IllegalStateException("callback fails");
                }));
    assertRolledBack(alice, before);
  }

  @Test
  void replica_receivesLongHistory_readsMatchTheWriter() {
    Document alice = doc(ALICE);
    Document replica = doc(BOB);
    for (int i = 0; i < PUTS; i++) {
      int value = i;
      alice.change(tx -> tx.put(ObjId.ROOT, "k", value));
      if (i % 10 == 0) {
        replica.merge(alice);
        assertEquals(alice.toJson(), replica.toJson());
      }
    }
    replica.merge(alice);
    assertEquals(alice.toJson(), replica.toJson());
    // A concurrent value with counter 1 arrives last: it sorts before the replica's hint.
    Document carol = doc(ActorId.fromHex("cccccccccccccccccccccccccccccccc"));
    carol.change(tx -> tx.put(ObjId.ROOT, "k", "carol"));
    replica.merge(carol);
    assertEquals(2, replica.conflicts(ObjId.ROOT, "k").size());
    assertSameAsLoaded(replica);
    replica.change(tx -> tx.put(ObjId.ROOT, "k", "resolved"));
    assertEquals(1, replica.conflicts(ObjId.ROOT, "k").size());
    assertSameAsLoaded(replica);
  }

  @Test
  void delete_longHistory_keyGoneAndPutAgain() {
    Document doc = doc(ALICE);
    for (int i = 0; i < PUTS; i++) {
      int value = i;
      doc.change(tx -> tx.put(ObjId.ROOT, "k", value));
    }
    doc.change(tx -> tx.delete(ObjId.ROOT, "k"));
    assertEquals(List.of(), doc.keys(ObjId.ROOT));
    assertEquals(Optional.empty(), doc.get(ObjId.ROOT, "k"));
    assertEquals(List.of(), doc.conflicts(ObjId.ROOT, "k"));
    assertEquals(Optional.empty(), doc.change(tx -> tx.delete(ObjId.ROOT, "k")));
    Change again = doc.change(tx -> tx.put(ObjId.ROOT, "k", "again")).orElseThrow();
    assertEquals(List.of(), again.ops().get(0).pred());
    assertEquals("{\"k\":\"again\"}", doc.toJson());
    assertSameAsLoaded(doc);
  }

  /**
   * Alice puts 0 under "k", Bob overwrites it concurrently, Alice overwrites her own value {@code
   * puts} more times and then merges Bob's: "k" has two visible values, Bob's far back in the key's
   * history.
   */
  private static Document overwrittenThenMerged(int puts) {
    Document alice = doc(ALICE);
    alice.change(tx -> tx.put(ObjId.ROOT, "k", 0));
    Document bob = alice.fork(BOB);
    bob.change(tx -> tx.put(ObjId.ROOT, "k", "bob"));
    for (int i = 1; i <= puts; i++) {
      int value = i;
      alice.change(tx -> tx.put(ObjId.ROOT, "k", value));
    }
    alice.merge(bob);
    return alice;
  }

  /** Both merged values are visible again and the document reads as {@code before}. */
  private static void assertRolledBack(Document alice, String before) {
    assertEquals(2, alice.conflicts(ObjId.ROOT, "k").size());
    assertEquals(before, alice.toJson());
    assertSameAsLoaded(alice);
  }

  private static void assertSameAsLoaded(Document doc) {
    Document loaded = Document.load(doc.save());
    assertEquals(loaded.toJson(), doc.toJson());
    assertEquals(loaded.conflicts(ObjId.ROOT, "k"), doc.conflicts(ObjId.ROOT, "k"));
    assertEquals(loaded.keys(ObjId.ROOT), doc.keys(ObjId.ROOT));
  }
}
