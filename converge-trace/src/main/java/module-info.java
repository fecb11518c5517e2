/**
 * Editing traces and their replay into a document engine. Exported to the two modules that run
 * traces: converge-cli ({@code converge bench-trace}) and converge-bench (the same replay beside
 * the JNI Automerge binding).
 */
module dev.converge.trace {
  requires transitive dev.converge.core;
  requires com.fasterxml.jackson.core;
  requires java.management;
  requires static transitive org.jspecify;

  exports dev.converge.trace to
      dev.converge.bench,
      dev.converge.cli;
}
