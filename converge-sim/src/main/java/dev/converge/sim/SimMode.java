package dev.converge.sim;

/** Which simulator a run uses. */
public enum SimMode {
  /** {@link Simulation}: replicas of a plaintext document sync pairwise with the sync protocol. */
  PLAINTEXT,
  /** {@link SealedSimulation}: devices share a sealed document through a relay. */
  SEALED
}
