package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of JavaScript-made files, loaded by Converge and by JavaScript Automerge 3.5 in
 * a long-running Node process: both must accept or both reject, and what both accept must have the
 * same heads and value.
 *
 * <p>How: {@code gen.mjs} makes the starting documents (saved whole without compression, and as a
 * save followed by change chunks). Each try draws one to four edits from a {@link SplittableRandom}
 * seeded with {@code differential.seed} plus the try number, then recomputes the chunk checksums
 * and, three times in four, writes into a document chunk the heads that its changes really give
 * (asked of JavaScript with {@code unchecked: true}), so that edits reach the checks behind the
 * checksum and the heads. Every disagreement is written to {@code target/load-differential/} and
 * fails the test with its try number; {@code -Ddifferential.seed=S -Ddifferential.tries=N} replays
 * or extends a run. The build runs 60 tries of seed 1 (seconds); the long runs are separate
 * commands (the README's "Load checks against JavaScript Automerge").
 */
class LoadDifferentialIT {
  private static final long SEED = Long.getLong("differential.seed", 1);
  private static final int TRIES = Integer.getInteger("differential.tries", 60);

  @TempDir static Path directory;

  @Test
  void mutatedFiles_convergeAgreesWithJavaScript() throws IOException {
    DifferentialRun.Result result =
        DifferentialRun.run(
            DifferentialRun.seeds(directory, SEED),
            SEED,
            TRIES,
            Path.of("target", "load-differential"));
    System.out.println("load differential: seed " + SEED + ", " + result);
    assertTrue(
        result.disagreements().isEmpty(),
        result.disagreements().size()
            + " disagreements:\n"
            + String.join("\n", result.disagreements()));
  }
}
