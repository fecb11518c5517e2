/**
 * The JNI Automerge binding ({@code org.automerge:automerge}, Rust Automerge behind JNI) behind the
 * {@link dev.converge.trace.TraceEngine} adapter, the competitor in the side-by-side runs. Only the
 * side-by-side runner uses this package; converge-bench declares the binding optional so that it
 * does not reach converge-cli.
 */
@NullMarked
package dev.converge.bench.automerge;

import org.jspecify.annotations.NullMarked;
