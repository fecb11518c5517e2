package dev.converge.server.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link GraphLayout} against the heads of each prefix, computed directly: after every change, the
 * heads sit in distinct lanes, and the layout is exactly as wide as the most heads any prefix had.
 * Histories are random DAGs (each change depends on 0 to 3 random earlier heads or changes), from a
 * seed that replays.
 */
class GraphLayoutPropertiesTest {

  @Property(tries = 300)
  void headsOfEveryPrefix_haveDistinctLanes_andWidthIsTheMostHeads(@ForAll long seed) {
    Random random = new Random(seed);
    GraphLayout layout = new GraphLayout();
    Set<Integer> heads = new HashSet<>();
    int mostHeads = 0;
    int count = 1 + random.nextInt(200);
    for (int change = 0; change < count; change++) {
      int[] deps = deps(random, change, heads);
      layout.append(deps);
      for (int dep : deps) {
        heads.remove(dep);
      }
      heads.add(change);
      mostHeads = Math.max(mostHeads, heads.size());
      Set<Integer> lanes = new HashSet<>();
      for (int head : heads) {
        assertTrue(lanes.add(layout.lane(head)), "two heads share a lane, seed " + seed);
      }
    }
    assertEquals(mostHeads, layout.laneCount(), "seed " + seed);
  }

  /** Distinct earlier changes, mostly current heads (as real histories are), sometimes none. */
  private static int[] deps(Random random, int change, Set<Integer> heads) {
    if (change == 0 || random.nextInt(20) == 0) {
      return new int[0];
    }
    Set<Integer> chosen = new HashSet<>();
    List<Integer> headList = new ArrayList<>(heads);
    headList.sort(null);
    int wanted = 1 + random.nextInt(3);
    for (int i = 0; i < wanted; i++) {
      chosen.add(
          random.nextInt(4) > 0 && !headList.isEmpty()
              ? headList.get(random.nextInt(headList.size()))
              : random.nextInt(change));
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }
}
