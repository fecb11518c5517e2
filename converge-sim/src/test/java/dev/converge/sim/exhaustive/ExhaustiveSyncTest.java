package dev.converge.sim.exhaustive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exhaustive small-scope check: for each scope, every interleaving of message deliveries (and
 * duplicates, and for two replicas every reordering) is explored, and every terminal state must
 * have converged. See {@link ExhaustiveSync} for the state space, the memoization and the reduction
 * (each replica's order of taking messages from its links made an explicit choice, only one
 * replica's transitions explored per state, and states skipped that a visited one with fewer
 * duplicates received covers), which the second test checks against the full interleaving where
 * both are feasible in the build.
 *
 * <p>How: one parameterized case per scope; each prints how many distinct states and terminal
 * states it explored. Three replicas in a full mesh are the largest scopes here: without duplicates
 * 940,305 states (some 5 to 10 s each, with one change or three each: changes made before syncing
 * give the same message pattern; the check against the full search, 1,446,833 states, takes 15 to
 * 30 s), and with one duplicate on the link from replica 1 to replica 0 (issue 4) 4,021,285 states,
 * 10 to 40 s (its check against the full search, 7,718,400 states, up to a few minutes on a loaded
 * machine). Duplicates on more links of the mesh, or edits during sync with three replicas, run to
 * tens or hundreds of millions of states; they run from {@link ExhaustiveSync#main} instead (see
 * the README).
 */
class ExhaustiveSyncTest {
  static Stream<Arguments> scopes() {
    return Stream.of(
        // replicas, changes each, duplicates per replica, edits during sync, reorder, line
        Arguments.of(new ExhaustiveSync.Scope(2, 1, 2, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 2, 1, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 3, 2, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 1, 1, false, true, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 2, 1, true, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 0, false, false, true, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 2, 1, false, false, true, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 0, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 3, 0, false, false, false, 100)),
        // The mesh with duplicates on the link 1>0 (issue 4); every link: ExhaustiveSync.main.
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 1, false, false, false, 100, 1)));
  }

  static Stream<Arguments> smallScopes() {
    return Stream.of(
        Arguments.of(new ExhaustiveSync.Scope(2, 1, 2, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 2, 1, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 1, 1, false, true, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 2, 1, true, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 0, false, false, true, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 1, false, false, true, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 0, true, false, true, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 0, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 1, false, false, false, 100, 1)));
  }

  @ParameterizedTest
  @MethodSource("scopes")
  void explore_everyInterleaving_converges(ExhaustiveSync.Scope scope) {
    ExhaustiveSync.Report report = ExhaustiveSync.explore(scope);
    System.out.println("exhaustive " + scope + ": " + report);
    assertTrue(report.passed(), () -> scope + ": " + report.failure().orElseThrow());
    assertTrue(report.terminalStates() > 0, () -> scope + " reached no terminal state");
  }

  @ParameterizedTest
  @MethodSource("smallScopes")
  void reducedSearch_reachesEveryTerminalStateOfTheFullSearch(ExhaustiveSync.Scope scope) {
    ExhaustiveSync.Report full = ExhaustiveSync.explore(scope, false);
    ExhaustiveSync.Report reduced = ExhaustiveSync.explore(scope, true);
    System.out.println("full " + full + " reduced " + reduced);
    assertTrue(full.passed() && reduced.passed());
    assertEquals(full.terminalKeys(), reduced.terminalKeys());
  }
}
