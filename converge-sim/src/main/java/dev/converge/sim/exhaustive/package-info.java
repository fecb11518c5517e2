/**
 * The exhaustive small-scope check of the sync protocol: every interleaving of sync messages
 * between 2 or 3 replicas, duplicates included, explored depth-first with memoized states and a
 * partial-order reduction that tests check against the full search ({@link
 * dev.converge.sim.exhaustive.ExhaustiveSync}). Every terminal state must have converged.
 */
@NullMarked
package dev.converge.sim.exhaustive;

import org.jspecify.annotations.NullMarked;
