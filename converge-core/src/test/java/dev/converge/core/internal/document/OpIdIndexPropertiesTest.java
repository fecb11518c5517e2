package dev.converge.core.internal.document;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ScalarValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link OpIdIndex} answers as a map of op ids does, with the per-actor tables (dense counters, as
 * Automerge writes them) and with the hash table (counters far apart), stored ops repeated and
 * successors that name no stored op included.
 */
class OpIdIndexPropertiesTest {
  private static final List<ActorId> ACTORS =
      List.of(ActorId.fromHex("01"), ActorId.fromHex("02"), ActorId.fromHex("03"));

  @Property(tries = 200)
  void index_answersAsAMap(@ForAll long seed) {
    Random random = new Random(seed);
    boolean sparse = random.nextBoolean();
    int stored = random.nextInt(60);
    DocOps ops = DocOps.withCapacity(ACTORS, stored);
    for (int i = 0; i < stored; i++) {
      int row = ops.addRow();
      ops.setOp(
          row,
          random.nextInt(ACTORS.size()),
          counter(random, sparse),
          false,
          Action.SET,
          ScalarValue.NULL,
          false,
          null);
      for (int s = random.nextInt(3); s > 0; s--) {
        ops.addSuccessor(random.nextInt(ACTORS.size()), counter(random, sparse));
      }
    }
    OpIdIndex index = OpIdIndex.forIdsOf(ops);
    Map<List<Long>, Integer> model = new HashMap<>();
    for (int op = 0; op < stored; op++) {
      List<Long> id = List.of((long) ops.idActor(op), ops.idCounter(op));
      boolean added = model.putIfAbsent(id, op) == null;
      assertEquals(
          added, index.putIfAbsent(ops.idActor(op), ops.idCounter(op), op), "seed " + seed);
    }
    int next = stored;
    for (int s = 0; s < (stored == 0 ? 0 : ops.succTo(stored - 1)); s++) {
      List<Long> id = List.of((long) ops.succActor(s), ops.succCounter(s));
      int expected = model.getOrDefault(id, -1);
      assertEquals(expected, index.get(ops.succActor(s), ops.succCounter(s)), "seed " + seed);
      if (expected < 0) {
        model.put(id, next);
        index.putIfAbsent(ops.succActor(s), ops.succCounter(s), next++);
      }
    }
  }

  private static long counter(Random random, boolean sparse) {
    return sparse ? 1 + (random.nextLong() >>> 24) : 1 + random.nextInt(40);
  }
}
