/**
 * Editing traces and their replay, engine-neutral.
 *
 * <p>{@link dev.converge.bench.trace.TraceLoader} reads a trace in the format of {@code
 * ../shared/traces/README.md} (gzip or plain JSON) into a {@link dev.converge.bench.trace.Trace}.
 * {@link dev.converge.bench.trace.TraceReplay} replays it into any engine that has a {@link
 * dev.converge.bench.trace.TraceEngine} adapter: a sequential trace as one local transaction per
 * txn, a concurrent trace replica by replica with vector clocks. {@link
 * dev.converge.bench.trace.TraceRun} times one replay, then save and load, and checks the text.
 *
 * <p>This package depends on converge-core and Jackson only. The JNI Automerge adapter lives in
 * {@code dev.converge.bench.automerge}, so {@code converge bench-trace} in converge-cli can use
 * this package without the native binding (converge-bench declares that dependency optional).
 */
@NullMarked
package dev.converge.bench.trace;

import org.jspecify.annotations.NullMarked;
