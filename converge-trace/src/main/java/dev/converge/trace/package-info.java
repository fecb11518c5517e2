/**
 * Editing traces and their replay, engine-neutral.
 *
 * <p>A trace is the JSON format of the editing-traces project (gzip or plain): {@code startContent}
 * and {@code endContent} strings, {@code kind} ({@code sequential}, the default, or {@code
 * concurrent}), {@code numAgents}, and {@code txns}, each with an {@code agent}, the indexes of its
 * {@code parents} among earlier txns, and {@code patches} of {@code [position, deleted, inserted]}
 * with positions and lengths in Unicode code points. {@link dev.converge.trace.TraceLoader} reads
 * and checks one into a {@link dev.converge.trace.Trace}. {@link dev.converge.trace.TraceReplay}
 * replays it into any engine that has a {@link dev.converge.trace.TraceEngine} adapter: a
 * sequential trace as one local transaction per txn, a concurrent trace replica by replica with
 * vector clocks. {@link dev.converge.trace.TraceRun} times one replay, then save and load, and
 * checks the text.
 *
 * <p>This module depends on converge-core and Jackson's streaming parser only, so that {@code
 * converge bench-trace} in converge-cli runs it without the benchmark harness; converge-bench runs
 * the same replay through its JNI Automerge adapter ({@code dev.converge.bench.automerge}).
 */
@NullMarked
package dev.converge.trace;

import org.jspecify.annotations.NullMarked;
