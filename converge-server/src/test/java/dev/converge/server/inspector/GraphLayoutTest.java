package dev.converge.server.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link GraphLayout} on spelled-out histories: a line, a fork, a merge, lane reuse. */
class GraphLayoutTest {

  @Test
  void append_line_staysInLaneZero() {
    GraphLayout layout = new GraphLayout();
    layout.append(new int[0]);
    layout.append(new int[] {0});
    layout.append(new int[] {1});
    assertEquals(0, layout.lane(2));
    assertEquals(1, layout.laneCount());
  }

  @Test
  void append_forkThenMerge_putsBranchesSideBySideAndJoinsThem() {
    GraphLayout layout = new GraphLayout();
    layout.append(new int[0]); // 0
    assertEquals(0, layout.append(new int[] {0})); // 1: continues 0
    assertEquals(1, layout.append(new int[] {0})); // 2: concurrent with 1
    assertEquals(0, layout.append(new int[] {2, 1})); // 3: merge, leftmost lane
    assertEquals(2, layout.laneCount());
  }

  @Test
  void append_afterMerge_freedLaneIsReused() {
    GraphLayout layout = new GraphLayout();
    layout.append(new int[0]); // 0
    layout.append(new int[] {0}); // 1, lane 0
    layout.append(new int[] {0}); // 2, lane 1
    layout.append(new int[] {1, 2}); // 3, merge into lane 0; lane 1 free
    assertEquals(0, layout.append(new int[] {3})); // 4 continues lane 0
    assertEquals(1, layout.append(new int[] {3})); // 5 concurrent with 4: the freed lane 1
    assertEquals(2, layout.laneCount());
  }

  @Test
  void append_twoRoots_takeTwoLanes() {
    GraphLayout layout = new GraphLayout();
    assertEquals(0, layout.append(new int[0]));
    assertEquals(1, layout.append(new int[0]));
  }

  @Test
  void append_dependencyNotBefore_isRefused() {
    GraphLayout layout = new GraphLayout();
    layout.append(new int[0]);
    assertThrows(IllegalArgumentException.class, () -> layout.append(new int[] {1}));
    assertEquals(1, layout.size());
  }
}
