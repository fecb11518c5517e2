/**
 * The deterministic simulator. One seed drives one PRNG that draws every choice: message delay,
 * loss, duplication and reordering, partitions, torn writes, lost fsyncs, bit flips in synced data,
 * crashes, clock jumps, and whether a replica speaks only version 1 of the sync protocol, all on
 * simulated time. Invariants are checked after every step and convergence at the end; a failure
 * prints the seed that replays it. {@link dev.converge.sim.Simulation} runs one seed, {@link
 * dev.converge.sim.SeedRange} a range. The exhaustive check of small scopes is in {@code
 * dev.converge.sim.exhaustive}, which shares {@link dev.converge.sim.CanonicalSave} with it.
 */
@NullMarked
package dev.converge.sim;

import org.jspecify.annotations.NullMarked;
