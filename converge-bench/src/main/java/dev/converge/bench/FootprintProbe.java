package dev.converge.bench;

import dev.converge.trace.HeapGauge;
import dev.converge.trace.JsonText;
import dev.converge.trace.TextMismatchException;
import dev.converge.trace.Trace;
import dev.converge.trace.TraceEngine;
import dev.converge.trace.TraceLoader;
import dev.converge.trace.TraceReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Measures the memory one engine retains for the final document of a trace, in a JVM of its own.
 * {@link BenchMain} starts it as a child process; run it alone with
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:TieredStopAtLevel=1 \
 *     -cp converge-bench/target/converge-bench.jar dev.converge.bench.FootprintProbe \
 *     automerge-jni converge-bench/target/traces/sequential/automerge-paper.json.gz
 * </pre>
 *
 * It prints one JSON line: {@code
 * {"engine":..,"trace":..,"heap_mb":..,"native_mb":..,"apply_peak_mb":..}}.
 *
 * <p><b>Method.</b> Load the trace; replay its first 1,000 txns and drop the result, so that
 * classes are loaded, the native library is mapped and the glue code compiled; read the baseline
 * (heap in use after {@code System.gc()} until it stops falling, and the resident set size, VmRSS);
 * replay the whole trace and keep the final document alive; read both again. {@code heap_mb} is the
 * growth of the live Java heap: the document's retained size for Converge, the Java-side handles
 * only for the JNI binding. {@code native_mb} is the growth of VmRSS, and it is only meaningful
 * when the Java heap cannot move it: with {@code -Xms} equal to {@code -Xmx} and {@code
 * -XX:+AlwaysPreTouch} every heap page is resident before the baseline, so what grows is native
 * memory — for the JNI binding, Rust's allocations for the document. It is an upper bound: the C
 * allocator keeps freed memory, so transient allocations of the replay count too, as do code-cache
 * growth and compiler arenas ({@code -XX:TieredStopAtLevel=1} keeps the latter small). A fresh JVM
 * per engine matters for the same reason: memory a previous replay freed would be reused and hide
 * the growth. For Converge, a pure-Java engine, {@code native_mb} is noise and {@link BenchMain}
 * does not report it. {@code apply_peak_mb} is the heap's peak during the replay (the sum of the
 * heap pools' peaks, {@link HeapGauge#peakMb()}) above the baseline: what the replay needed at its
 * worst, garbage not yet collected included, so it depends on the collector and its young
 * generation, which are this JVM's settings.
 *
 * <p>Machine settings: none beyond a quiet machine; the readings are sizes, not times.
 */
public final class FootprintProbe {
  private static final int WARM_UP_TXNS = 1000;

  private FootprintProbe() {}

  /** {@code FootprintProbe ENGINE TRACE}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: FootprintProbe ENGINE TRACE.json[.gz]");
      System.exit(2);
    }
    Trace trace = TraceLoader.load(Path.of(args[1]));
    System.out.println(measure(Engines.create(args[0]), trace));
  }

  private static <R, U> String measure(TraceEngine<R, U> engine, Trace trace) {
    Trace prefix =
        new Trace(
            trace.name(),
            trace.kind(),
            trace.startContent(),
            "",
            trace.numAgents(),
            trace.txns().subList(0, Math.min(WARM_UP_TXNS, trace.txns().size())));
    engine.close(TraceReplay.replay(engine, prefix));

    long heapBefore = HeapGauge.settledUsedBytes();
    OptionalLong residentBefore = ResidentMemory.bytes();
    HeapGauge.resetPeak();
    R replica = TraceReplay.replay(engine, trace);
    double peakMb = HeapGauge.peakMb();
    long heapAfter = HeapGauge.settledUsedBytes();
    OptionalLong residentAfter = ResidentMemory.bytes();
    TextMismatchException.check(
        trace.name() + " with " + engine.name(), trace.endContent(), engine.text(replica));
    engine.close(replica);

    String nativeMb =
        residentBefore.isPresent() && residentAfter.isPresent()
            ? mb(residentAfter.getAsLong() - residentBefore.getAsLong())
            : "null";
    return "{\"engine\":"
        + JsonText.quote(engine.name())
        + ",\"trace\":"
        + JsonText.quote(trace.name())
        + ",\"heap_mb\":"
        + mb(heapAfter - heapBefore)
        + ",\"native_mb\":"
        + nativeMb
        + ",\"apply_peak_mb\":"
        + String.format(Locale.ROOT, "%.1f", peakMb - HeapGauge.toMb(heapBefore))
        + "}";
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f", HeapGauge.toMb(bytes));
  }
}
