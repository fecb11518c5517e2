package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The history queries a sync round leans on ({@link Document#hashesSince}, {@link
 * Document#changesSince}) against a plain reference: every change minus the ancestors of the given
 * heads, found by walking {@link Document#dependenciesOf}. Histories are random forks and merges
 * among three actors, so the walk meets diamonds, long chains and unknown hashes.
 */
class HistoryPropertiesTest {
  private static final ActorId[] ACTORS = {
    ActorId.fromHex("01"), ActorId.fromHex("02"), ActorId.fromHex("03")
  };

  @Property(tries = 500)
  void hashesSince_isEveryChangeNotReachableFromTheGivenHashes(@ForAll long seed) {
    Random random = new Random(seed);
    Document whole = randomHistory(random);
    List<ChangeHash> all = whole.changes().stream().map(Change::hash).toList();
    List<ChangeHash> since = new ArrayList<>();
    int picks = random.nextInt(4);
    for (int i = 0; i < picks; i++) {
      since.add(all.get(random.nextInt(all.size())));
    }
    if (random.nextInt(4) == 0) {
      since.add(ChangeHash.of(new byte[ChangeHash.LENGTH])); // unknown: ignored
    }

    Set<ChangeHash> reachable = ancestors(whole, since);
    List<ChangeHash> expected = all.stream().filter(hash -> !reachable.contains(hash)).toList();

    assertEquals(expected, whole.hashesSince(since));
    assertEquals(expected, whole.changesSince(since).stream().map(Change::hash).toList());
  }

  private static Document randomHistory(Random random) {
    List<Document> replicas = new ArrayList<>();
    replicas.add(RandomEdits.init(ACTORS[0]));
    replicas.add(replicas.get(0).fork(ACTORS[1]));
    replicas.add(replicas.get(0).fork(ACTORS[2]));
    int steps = 1 + random.nextInt(25);
    for (int i = 0; i < steps; i++) {
      Document target = replicas.get(random.nextInt(3));
      if (random.nextInt(3) == 0) {
        target.merge(replicas.get(random.nextInt(3)));
      } else {
        RandomEdits.edit(target, random);
      }
    }
    Document whole = replicas.get(0).fork(ActorId.fromHex("ff"));
    whole.merge(replicas.get(1));
    whole.merge(replicas.get(2));
    return whole;
  }

  private static Set<ChangeHash> ancestors(Document doc, List<ChangeHash> from) {
    Set<ChangeHash> seen = new HashSet<>();
    Deque<ChangeHash> stack = new ArrayDeque<>();
    for (ChangeHash hash : from) {
      if (doc.hasChange(hash)) {
        stack.push(hash);
      }
    }
    while (!stack.isEmpty()) {
      ChangeHash hash = stack.pop();
      if (seen.add(hash)) {
        doc.dependenciesOf(hash).orElseThrow().forEach(stack::push);
      }
    }
    return seen;
  }
}
