/**
 * The deterministic simulators. One seed drives one PRNG that draws every choice, on simulated
 * time; a failure prints the seed that replays it.
 *
 * <p>{@link dev.converge.sim.Simulation} runs plaintext replicas of one document: message delay,
 * loss, duplication and reordering, partitions, torn writes, lost fsyncs and bit flips on each
 * replica's {@code SimDisk}, crashes, clock jumps, and replicas that speak only version 1 of the
 * sync protocol. Its parts are the network ({@code SimNetwork}), the sync sessions ({@code
 * SyncSessions}), the faults ({@code SimFaults}), the workload ({@code SimWorkload}) and the
 * checker ({@code SimChecker}, with {@code Invariants}), checked after every step and for
 * convergence at the end. {@link dev.converge.sim.SeedRange} runs a range of seeds ({@code converge
 * sim --seeds A..B}).
 *
 * <p>{@link dev.converge.sim.SealedSimulation} runs sealed (end-to-end encrypted) documents:
 * devices ({@code SealedDevice}) share one sealed document through the production relay over
 * channels that lose, reorder, duplicate and damage envelopes and cut devices off ({@code
 * FaultyRelayChannel}), while devices and the relay restart; at the end every device must hold the
 * same heads, value and changes ({@code converge sim --sealed}).
 *
 * <p>The exhaustive check of small scopes is in {@code dev.converge.sim.exhaustive}, which shares
 * {@link dev.converge.sim.CanonicalSave} with the random simulator.
 */
@NullMarked
package dev.converge.sim;

import org.jspecify.annotations.NullMarked;
