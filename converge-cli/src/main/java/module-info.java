/**
 * The {@code converge} command. It exports nothing; picocli reads and sets the command classes'
 * annotated fields by reflection, so their package is open to it.
 */
module dev.converge.cli {
  requires dev.converge.trace;
  requires dev.converge.server;
  requires dev.converge.cluster;
  requires dev.converge.sim;
  requires com.fasterxml.jackson.databind;
  requires java.management;
  requires info.picocli;
  requires static transitive org.jspecify;

  opens dev.converge.cli to
      info.picocli;
}
