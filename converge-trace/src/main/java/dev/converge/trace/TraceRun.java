package dev.converge.trace;

import org.jspecify.annotations.Nullable;

/**
 * One timed replay of a trace into one engine, checked: replay (timed as {@code apply_ms}), check
 * the text against {@code endContent}, save (timed), load the saved bytes (timed), check the loaded
 * text. Save and load are skipped, not faked, when the engine throws {@link
 * UnsupportedOperationException} from {@link TraceEngine#save}.
 *
 * <p>Times are wall-clock {@link System#nanoTime()} around one call each; the trace is parsed
 * before the clock starts. Warm-up is the caller's business: a first run in a fresh JVM measures
 * interpreted and partly compiled code.
 *
 * <p>Each timed call starts on a collected heap ({@code System.gc()} before the clock starts), so
 * no call pays for collecting what an earlier one left: without it, a collection during the load
 * copied the replica just replayed (still live for the save) and charged that to the load. Every
 * collection a call itself causes stays inside its time. The native engine is unaffected: its
 * memory is outside the Java heap.
 */
public final class TraceRun {
  private TraceRun() {}

  /**
   * Replays {@code trace} into {@code engine} once and returns the figures.
   *
   * @throws TextMismatchException if the replayed or the loaded text differs from endContent
   */
  public static <R, U> RunResult run(TraceEngine<R, U> engine, Trace trace) {
    settleHeap();
    HeapGauge.resetPeak();
    long start = System.nanoTime();
    R replica = TraceReplay.replay(engine, trace);
    long applied = System.nanoTime();
    // The peak of the replay alone: save and load come after and hold a second document.
    double applyPeakMb = HeapGauge.peakMb();
    try {
      String text = engine.text(replica);
      TextMismatchException.check(
          trace.name() + " with " + engine.name(), trace.endContent(), text);
      RunResult.SaveLoad saveLoad = saveAndLoad(engine, trace, replica);
      return new RunResult(
          trace.name(),
          engine.name(),
          trace.patchCount(),
          millis(applied - start),
          saveLoad,
          text.codePointCount(0, text.length()),
          applyPeakMb);
    } finally {
      engine.close(replica);
    }
  }

  private static <R, U> RunResult.@Nullable SaveLoad saveAndLoad(
      TraceEngine<R, U> engine, Trace trace, R replica) {
    byte[] saved;
    settleHeap();
    long saveStart = System.nanoTime();
    try {
      saved = engine.save(replica);
    } catch (UnsupportedOperationException e) {
      return null;
    }
    long saveEnd = System.nanoTime();
    settleHeap();
    long loadStart = System.nanoTime();
    R loaded = engine.load(saved);
    long loadEnd = System.nanoTime();
    try {
      TextMismatchException.check(
          trace.name() + " with " + engine.name() + " after save and load",
          trace.endContent(),
          engine.text(loaded));
    } finally {
      engine.close(loaded);
    }
    return new RunResult.SaveLoad(
        millis(saveEnd - saveStart), saved.length, millis(loadEnd - loadStart));
  }

  /** One full collection outside the timed calls; see the class comment. */
  private static void settleHeap() {
    System.gc();
  }

  static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
