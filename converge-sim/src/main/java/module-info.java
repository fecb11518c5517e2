/**
 * The deterministic simulator. Its package is exported to the CLI only, which runs it as {@code
 * converge sim}; the exhaustive checker ({@code dev.converge.sim.exhaustive}) runs from tests and
 * is not exported.
 */
module dev.converge.sim {
  requires dev.converge.core;
  requires dev.converge.repo;
  requires static transitive org.jspecify;

  exports dev.converge.sim to
      dev.converge.cli;
}
