package dev.converge.bench.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.converge.trace.ConvergeEngine;
import dev.converge.trace.RunResult;
import dev.converge.trace.Trace;
import dev.converge.trace.TraceEngine;
import dev.converge.trace.TraceLoader;
import dev.converge.trace.TraceReplay;
import dev.converge.trace.TraceRun;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JNI Automerge engine replays the generated non-ASCII traces of converge-trace's tests (made
 * by {@code converge-bench/scripts/make-test-traces.mjs}, end text computed on plain strings by
 * code point) to their end text, and what one engine saves the other loads with the same text:
 * Converge's save against Rust Automerge's loader, and the reverse. The traces mix accents,
 * combining marks, CJK, emoji and astral symbols, so an adapter that counted UTF-16 units instead
 * of code points would end with another text or fail. The binding loads its native library from its
 * jar, so these tests need a platform it ships for (linux, macOS, Windows; x86_64 or aarch64).
 */
class AutomergeJniEngineTest {
  /** Maven runs tests from the module's directory; the traces live beside the replay's tests. */
  private static final Path TRACES =
      Path.of("..", "converge-trace", "src", "test", "resources", "traces");

  private static Trace trace(String name) throws IOException {
    return TraceLoader.load(TRACES.resolve(name + ".json.gz"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unicode-sequential", "unicode-concurrent"})
  void run_unicodeTrace_endsWithEndContentBeforeAndAfterLoad(String name) throws IOException {
    Trace trace = trace(name);

    RunResult result = TraceRun.run(new AutomergeJniEngine(), trace);

    assertEquals(
        trace.endContent().codePointCount(0, trace.endContent().length()), result.finalLength());
    assertNotNull(result.saveLoad(), "the binding can save and load");
  }

  @ParameterizedTest
  @ValueSource(strings = {"unicode-sequential", "unicode-concurrent"})
  void convergeSave_loadedByAutomerge_sameText(String name) throws IOException {
    Trace trace = trace(name);

    byte[] saved = save(new ConvergeEngine(), trace);

    assertEquals(trace.endContent(), load(new AutomergeJniEngine(), saved));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unicode-sequential", "unicode-concurrent"})
  void automergeSave_loadedByConverge_sameText(String name) throws IOException {
    Trace trace = trace(name);

    // The Converge adapter learns the text object's ID from its first create.
    ConvergeEngine converge = new ConvergeEngine();
    converge.close(converge.create());

    byte[] saved = save(new AutomergeJniEngine(), trace);

    assertEquals(trace.endContent(), load(converge, saved));
  }

  private static <R, U> byte[] save(TraceEngine<R, U> engine, Trace trace) {
    R replica = TraceReplay.replay(engine, trace);
    try {
      return engine.save(replica);
    } finally {
      engine.close(replica);
    }
  }

  private static <R, U> String load(TraceEngine<R, U> engine, byte[] saved) {
    R replica = engine.load(saved);
    try {
      return engine.text(replica);
    } finally {
      engine.close(replica);
    }
  }
}
