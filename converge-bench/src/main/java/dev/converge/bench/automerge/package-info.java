/**
 * The JNI Automerge binding ({@code org.automerge:automerge}, Rust Automerge behind JNI) behind the
 * {@link dev.converge.trace.TraceEngine} adapter, the competitor in the side-by-side runs. Only
 * converge-bench uses this package; the replay it plugs into lives in converge-trace, which does
 * not depend on the binding.
 */
@NullMarked
package dev.converge.bench.automerge;

import org.jspecify.annotations.NullMarked;
