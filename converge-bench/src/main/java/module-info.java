/**
 * Benchmarks and long runs, each a main class run from {@code converge-bench.jar}. The editing
 * trace replay is exported to the CLI, which runs it as {@code converge bench-trace}.
 */
module dev.converge.bench {
  requires dev.converge.server;
  requires automerge;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires jdk.management;
  requires java.net.http;
  requires static transitive org.jspecify;

  exports dev.converge.bench.trace to
      dev.converge.cli;
}
