package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Differential fuzzing of Converge's loader against JavaScript Automerge 3.5: Jazzer mutates files
 * (coverage-guided by Converge's code), and each one must load in both, with the same heads and
 * value, or fail in both.
 *
 * <p>How: before comparing, the input's chunk checksums are recomputed and, when its changes give
 * other heads than a document chunk stores (asked of JavaScript), those heads are written in, so
 * that mutations reach the checks behind the checksum and the heads. JavaScript runs in one
 * long-running Node process ({@link JsLoader}).
 *
 * <p>Under {@code mvn verify} Jazzer only replays the seeds in {@code
 * src/test/resources/dev/converge/core/interop/LoadDifferentialFuzzITInputs/load/} (small
 * JavaScript-made documents and change chunks). To fuzz, for as long as {@code maxDuration} or
 * {@code -Djazzer.max_duration} says:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl converge-core verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=LoadDifferentialFuzzIT -Djazzer.max_duration=1h
 * </pre>
 *
 * A disagreement stops the run with the input saved by Jazzer; once understood and fixed, the input
 * goes into {@code load-disagreements/}, which {@link LoadRulesIT} replays every build.
 */
class LoadDifferentialFuzzIT {
  private static final JsLoader JS = new JsLoader(30_000);

  @AfterAll
  static void stop() {
    JS.close();
  }

  @FuzzTest(maxDuration = "10m")
  void load(byte[] data) {
    byte[] file = ChunkSurgery.withValidChecksums(data);
    List<String> heads = JS.uncheckedHeads(file);
    if (!heads.isEmpty()) {
      file = ChunkSurgery.withHeads(file, heads);
    }
    JsLoader.Verdict verdict = JS.load(file);
    assertEquals(
        Optional.empty(),
        LoadDifferential.disagreement(file, verdict),
        "file " + LoadDifferential.hex(file));
  }
}
