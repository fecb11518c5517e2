package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exhaustive small-scope check: for each scope, every interleaving of message deliveries (and
 * duplicates, and for two replicas every reordering) is explored, and every terminal state must
 * have converged. See {@link ExhaustiveSync} for the state space and the memoization.
 *
 * <p>How: one parameterized case per scope; each prints how many distinct states and terminal
 * states it explored. The scopes are chosen to finish in well under a minute together on a busy
 * 2-core machine: three replicas in a full mesh do not (over a minute for one change each), so
 * three replicas are checked in a line (0–1–2), where replica 1 relays between the others.
 */
class ExhaustiveSyncTest {
  static Stream<Arguments> scopes() {
    return Stream.of(
        // replicas, changes each, duplicates, edits during sync, reorder, line
        Arguments.of(new ExhaustiveSync.Scope(2, 1, 2, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 2, 1, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 3, 2, false, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 1, 1, false, true, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(2, 1, 1, true, false, false, 100)),
        Arguments.of(new ExhaustiveSync.Scope(3, 1, 0, false, false, true, 100)));
  }

  @ParameterizedTest
  @MethodSource("scopes")
  void explore_everyInterleaving_converges(ExhaustiveSync.Scope scope) {
    ExhaustiveSync.Report report = ExhaustiveSync.explore(scope);
    System.out.println("exhaustive " + scope + ": " + report);
    assertTrue(report.passed(), () -> scope + ": " + report.failure().orElseThrow());
    assertTrue(report.terminalStates() > 0, () -> scope + " reached no terminal state");
  }
}
