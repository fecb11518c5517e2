/**
 * The change graph of a document: the applied changes in a topological order with their dependency
 * edges, heads and per-actor chains ({@link dev.converge.core.internal.dag.ChangeGraph}), the
 * causal walks over it ({@code GraphWalks}), and the changes that wait for missing dependencies
 * ({@link dev.converge.core.internal.dag.ChangeQueue}).
 *
 * <p>A document keeps one entry per change for its whole life, so the storage is compact: change
 * chunks' tails as differences from the one before ({@code TailStore}), per-change columns packed
 * by frame of reference ({@code PackedLongs}) or in fixed pages ({@code IntList}, {@code
 * PagedBytes}), and an index from hash to change number holding only ints ({@code HashIndex}).
 * {@code BatchRules} is the actor rule JavaScript Automerge applies to a batch of changes.
 */
package dev.converge.core.internal.dag;
