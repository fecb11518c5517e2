package dev.converge.bench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.bench.automerge.AutomergeJniEngine;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What one engine saves after a handmade trace, the other loads with the same text: Converge's save
 * against Rust Automerge's loader through the JNI binding, and the reverse. A cheap compatibility
 * check that comes with having both engines in one harness.
 */
class CrossEngineLoadTest {
  @ParameterizedTest
  @ValueSource(strings = {TraceLoaderTest.SEQUENTIAL, TraceLoaderTest.CONCURRENT})
  void convergeSave_loadedByAutomerge_sameText(String json) throws IOException {
    Trace trace = TraceLoaderTest.parse(json);

    byte[] saved = save(new ConvergeEngine(), trace);

    assertEquals(trace.endContent(), load(new AutomergeJniEngine(), saved));
  }

  @ParameterizedTest
  @ValueSource(strings = {TraceLoaderTest.SEQUENTIAL, TraceLoaderTest.CONCURRENT})
  void automergeSave_loadedByConverge_sameText(String json) throws IOException {
    Trace trace = TraceLoaderTest.parse(json);
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
