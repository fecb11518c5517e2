/**
 * The deterministic simulator. One seed drives one PRNG that draws every choice: message delay,
 * loss, duplication and reordering, partitions, torn writes, lost fsyncs, crashes and clock jumps,
 * all on simulated time. Invariants are checked after every step and convergence at the end; a
 * failure prints the seed that replays it.
 */
@NullMarked
package dev.converge.sim;

import org.jspecify.annotations.NullMarked;
