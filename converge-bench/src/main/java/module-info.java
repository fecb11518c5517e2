/**
 * Benchmarks and long runs, each a main class run from {@code converge-bench.jar} on the class
 * path; no other module depends on this one, so it exports nothing. The JNI Automerge binding has
 * no module name of its own: it is the automatic module {@code automerge}, named after its jar.
 */
module dev.converge.bench {
  requires dev.converge.server;
  requires dev.converge.trace;
  requires automerge;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires jdk.management;
  requires java.net.http;
  requires static transitive org.jspecify;
}
