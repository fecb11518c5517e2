package dev.converge.core.internal.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The walks of {@link ChangeGraph} (closure, changes since some heads, heads of a prefix) against
 * plain definitions computed from each change's deps, on histories of a few replicas that edit and
 * merge at random. One {@link Random} seeded by jqwik makes every choice, so a failing seed
 * replays.
 */
class ChangeGraphWalksPropertiesTest {

  @Property(tries = 60)
  void walks_randomHistory_agreeWithDefinitions(@ForAll long seed) {
    Random random = new Random(seed);
    List<Change> history = randomHistory(random);
    ChangeGraph graph = new ChangeGraph();
    for (Change change : history) {
      graph.add(change);
    }
    for (int probe = 0; probe < 10; probe++) {
      List<ChangeHash> since = new ArrayList<>();
      for (int i = 0, n = random.nextInt(3); i < n; i++) {
        since.add(history.get(random.nextInt(history.size())).hash());
      }
      BitSet seen = reachable(history, since);
      assertEquals(seen, graph.closure(since), "closure of " + since);
      BitSet unseen = new BitSet();
      unseen.set(0, history.size());
      unseen.andNot(seen);
      assertArrayEquals(unseen.stream().toArray(), graph.indexesSince(since), "since " + since);
      int count = random.nextInt(history.size() + 1);
      assertEquals(headsOf(history.subList(0, count)), graph.headsOfFirst(count), "first " + count);
    }
  }

  @Test
  void closure_unknownHash_throws() {
    ChangeGraph graph = new ChangeGraph();
    List<ChangeHash> unknown = List.of(ChangeHash.fromHex("00".repeat(ChangeHash.LENGTH)));
    assertThrows(IllegalArgumentException.class, () -> graph.closure(unknown));
  }

  @Test
  void indexesSince_unknownHashes_givesEveryChange() {
    Document doc = Document.create(ActorId.random());
    doc.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    doc.change(tx -> tx.put(ObjId.ROOT, "a", 2));
    ChangeGraph graph = new ChangeGraph();
    doc.changes().forEach(graph::add);
    List<ChangeHash> unknown = List.of(ChangeHash.fromHex("11".repeat(ChangeHash.LENGTH)));
    assertArrayEquals(new int[] {0, 1}, graph.indexesSince(unknown));
  }

  /** Changes of three replicas that edit and merge at random, in an order they can be applied. */
  private static List<Change> randomHistory(Random random) {
    List<Document> replicas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replicas.add(Document.create(ActorId.of(new byte[] {(byte) (i + 1)}), () -> 0L));
    }
    for (int step = 0, steps = 5 + random.nextInt(30); step < steps; step++) {
      Document replica = replicas.get(random.nextInt(replicas.size()));
      if (random.nextInt(4) == 0) {
        replica.merge(replicas.get(random.nextInt(replicas.size())));
      } else {
        int value = step;
        replica.change(tx -> tx.put(ObjId.ROOT, "k" + random.nextInt(3), value));
      }
    }
    Document all = replicas.get(0);
    for (Document other : replicas) {
      all.merge(other);
    }
    return all.changes();
  }

  /** The indexes of the changes {@code from} reach by their deps, {@code from} included. */
  private static BitSet reachable(List<Change> history, List<ChangeHash> from) {
    List<ChangeHash> hashes = history.stream().map(Change::hash).toList();
    BitSet seen = new BitSet();
    List<ChangeHash> todo = new ArrayList<>(from);
    while (!todo.isEmpty()) {
      int index = hashes.indexOf(todo.remove(todo.size() - 1));
      if (!seen.get(index)) {
        seen.set(index);
        todo.addAll(history.get(index).deps());
      }
    }
    return seen;
  }

  /** The hashes of {@code changes} that no other of them depends on, sorted. */
  private static List<ChangeHash> headsOf(List<Change> changes) {
    TreeSet<ChangeHash> heads = new TreeSet<>();
    changes.forEach(change -> heads.add(change.hash()));
    changes.forEach(change -> change.deps().forEach(heads::remove));
    return List.copyOf(heads);
  }
}
