/**
 * The side-by-side trace benchmark: {@link dev.converge.bench.BenchMain} replays each editing trace
 * with Converge and with the JNI Automerge binding in one JVM and reports the ratios; {@link
 * dev.converge.bench.FootprintProbe} measures one engine's retained memory in a fresh JVM.
 */
@NullMarked
package dev.converge.bench;

import org.jspecify.annotations.NullMarked;
