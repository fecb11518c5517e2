/**
 * The sync protocol benchmark ({@link dev.converge.bench.sync.SyncBench}): bytes, round trips and
 * time for a catch-up and for concurrent edits, Converge beside the JNI Automerge binding.
 */
package dev.converge.bench.sync;
