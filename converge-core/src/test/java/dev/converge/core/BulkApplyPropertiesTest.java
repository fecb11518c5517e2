package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.internal.change.ChangeChunks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A whole history applied to an empty document in one {@code applyChanges} (the path a replica's
 * first sync takes, which keeps no undo log) must give what applying the same changes one call at a
 * time gives: the same heads, value, change order and saved bytes. A failure halfway must leave the
 * document empty and usable. Each property takes a seed and draws every choice from one {@link
 * Random}, so jqwik's reported seed replays a failure.
 */
class BulkApplyPropertiesTest {
  private static final ActorId[] ACTORS = {
    ActorId.fromHex("01"), ActorId.fromHex("02"), ActorId.fromHex("03")
  };

  @Property(tries = 300)
  void wholeHistoryInOneCall_equalsOneChangeAtATime(@ForAll long seed) {
    Random random = new Random(seed);
    List<Change> history = concurrentHistory(random);
    // Any order, duplicates included: changes whose deps come later wait in the queue.
    List<Change> delivered = new ArrayList<>(history);
    if (random.nextBoolean()) {
      Collections.shuffle(delivered, random);
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      delivered.add(history.get(random.nextInt(history.size())));
    }

    Document bulk = empty();
    int applied = bulk.applyChanges(delivered);
    Document single = empty();
    int appliedOneByOne = 0;
    for (Change change : delivered) {
      appliedOneByOne += single.applyChanges(List.of(change));
    }

    assertEquals(appliedOneByOne, applied);
    assertEquals(history.size(), applied);
    assertEquals(single.heads(), bulk.heads());
    assertEquals(single.toJson(), bulk.toJson());
    assertEquals(single.changes(), bulk.changes());
    assertArrayEquals(single.save(), bulk.save());
  }

  @Property(tries = 100)
  void failureHalfwayIntoAnEmptyDocument_leavesItEmptyAndUsable(@ForAll long seed) {
    Random random = new Random(seed);
    List<Change> history = concurrentHistory(random);
    Change last = history.get(history.size() - 1);
    Change bad =
        ChangeChunks.encode(
            ACTORS[0],
            lastSeq(history, ACTORS[0]) + 1,
            maxOp(history) + 1,
            0,
            Optional.empty(),
            List.of(last.hash()),
            List.of(
                new ChangeOp(
                    ObjId.of(new OpId(999_999, ACTORS[0])),
                    Key.prop("k"),
                    false,
                    Action.SET,
                    ScalarValue.integer(1),
                    List.of(),
                    false,
                    Optional.empty())),
            new byte[0]);
    List<Change> delivered = new ArrayList<>(history);
    delivered.add(bad);

    Document doc = empty();
    assertThrows(CorruptDataException.class, () -> doc.applyChanges(delivered));
    assertEquals(0, doc.changeCount());
    assertTrue(doc.heads().isEmpty());
    assertTrue(doc.queuedChanges().isEmpty());
    assertEquals("{}", doc.toJson());

    assertEquals(history.size(), doc.applyChanges(history));
    Document reference = empty();
    for (Change change : history) {
      reference.applyChanges(List.of(change));
    }
    assertArrayEquals(reference.save(), doc.save());
  }

  /** Three replicas editing concurrently and merging now and then; every change of all three. */
  private static List<Change> concurrentHistory(Random random) {
    Document first = RandomEdits.init(ACTORS[0]);
    List<Document> replicas =
        new ArrayList<>(List.of(first, first.fork(ACTORS[1]), first.fork(ACTORS[2])));
    for (int round = 0; round < 5; round++) {
      for (Document replica : replicas) {
        if (random.nextInt(3) > 0) {
          RandomEdits.edit(replica, random);
        }
      }
      replicas.get(random.nextInt(3)).merge(replicas.get(random.nextInt(3)));
    }
    Document all = replicas.get(0);
    all.merge(replicas.get(1));
    all.merge(replicas.get(2));
    return all.changes();
  }

  private static long lastSeq(List<Change> history, ActorId actor) {
    return history.stream().filter(c -> c.actor().equals(actor)).count();
  }

  private static long maxOp(List<Change> history) {
    return history.stream().mapToLong(Change::maxOp).max().orElse(0);
  }

  private static Document empty() {
    return Document.create(ActorId.fromHex("ff"), () -> 0L, DocumentOptions.DEFAULT);
  }
}
