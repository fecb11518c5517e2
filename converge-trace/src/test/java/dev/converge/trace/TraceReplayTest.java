package dev.converge.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the handmade traces of {@link TraceLoaderTest} and the generated non-ASCII traces of
 * {@code src/test/resources/traces/} into Converge and checks the end text, and that {@link
 * TraceRun} checks it too. The non-ASCII traces (made by {@code
 * converge-bench/scripts/make-test-traces.mjs}, which computes their end text on plain strings by
 * code point) mix accents, combining marks, CJK, emoji and astral symbols, so a replay that counted
 * UTF-16 units instead of code points would end with another text or fail. converge-bench's
 * AutomergeJniEngineTest replays the same traces through the JNI Automerge binding.
 */
class TraceReplayTest {
  static List<TraceEngine<?, ?>> engines() {
    return List.of(new ConvergeEngine());
  }

  static List<Arguments> unicodeTraces() {
    List<Arguments> cases = new ArrayList<>();
    for (TraceEngine<?, ?> engine : engines()) {
      for (String name : List.of("unicode-sequential", "unicode-concurrent")) {
        cases.add(Arguments.of(engine, name));
      }
    }
    return cases;
  }

  static Trace resourceTrace(String name) throws IOException {
    String resource = "/traces/" + name + ".json.gz";
    try (InputStream in = TraceReplayTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      return TraceLoader.read(name, in);
    }
  }

  @ParameterizedTest
  @MethodSource("unicodeTraces")
  void run_unicodeTrace_endsWithEndContentBeforeAndAfterLoad(TraceEngine<?, ?> engine, String name)
      throws IOException {
    Trace trace = resourceTrace(name);
    // The end text has characters outside the Basic Multilingual Plane: code points and UTF-16
    // indexes disagree all along the replay.
    assertTrue(
        trace.endContent().codePointCount(0, trace.endContent().length())
            < trace.endContent().length());
    RunResult result = TraceRun.run(engine, trace);
    assertEquals(
        trace.endContent().codePointCount(0, trace.endContent().length()), result.finalLength());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void replay_sequential_endsWithEndContent(TraceEngine<?, ?> engine) throws IOException {
    assertEquals(
        "hi there", replayedText(engine, TraceLoaderTest.parse(TraceLoaderTest.SEQUENTIAL)));
  }

  @ParameterizedTest
  @MethodSource("engines")
  void replay_concurrent_endsWithEndContent(TraceEngine<?, ?> engine) throws IOException {
    assertEquals("yab!", replayedText(engine, TraceLoaderTest.parse(TraceLoaderTest.CONCURRENT)));
  }

  @ParameterizedTest
  @MethodSource("engines")
  void run_concurrent_reportsFigures(TraceEngine<?, ?> engine) throws IOException {
    RunResult result = TraceRun.run(engine, TraceLoaderTest.parse(TraceLoaderTest.CONCURRENT));

    assertEquals(6, result.ops());
    assertEquals(4, result.finalLength());
    assertNotNull(result.saveLoad(), "the engine can save and load");
  }

  @ParameterizedTest
  @MethodSource("engines")
  void run_wrongEndContent_throwsMismatch(TraceEngine<?, ?> engine) throws IOException {
    Trace trace = TraceLoaderTest.parse(TraceLoaderTest.SEQUENTIAL);
    Trace wrong =
        new Trace(trace.name(), trace.kind(), "", "hi there!", trace.numAgents(), trace.txns());

    TextMismatchException e =
        assertThrows(TextMismatchException.class, () -> TraceRun.run(engine, wrong));
    assertNotNull(e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("engines")
  void replay_agentTxnsNotTotallyOrdered_throws(TraceEngine<?, ?> engine) {
    TraceTxn first = new TraceTxn(0, List.of(), List.of(new TracePatch(0, 0, "a")));
    TraceTxn second = new TraceTxn(0, List.of(0), List.of(new TracePatch(1, 0, "b")));
    TraceTxn forked = new TraceTxn(0, List.of(0), List.of(new TracePatch(1, 0, "c")));
    Trace trace =
        new Trace("forked", TraceKind.CONCURRENT, "", "", 1, List.of(first, second, forked));

    assertThrows(IllegalStateException.class, () -> TraceReplay.replay(engine, trace));
  }

  private static <R, U> String replayedText(TraceEngine<R, U> engine, Trace trace) {
    R replica = TraceReplay.replay(engine, trace);
    try {
      return engine.text(replica);
    } finally {
      engine.close(replica);
    }
  }
}
