/**
 * Sync server nodes that share their documents through Apache Kafka: {@code dev.converge.cluster}
 * is the node a server runs when it is given a Kafka cluster.
 */
module dev.converge.cluster {
  requires transitive dev.converge.server;
  requires kafka.clients;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.converge.cluster;
}
