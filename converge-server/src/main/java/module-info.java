/**
 * The sync server. {@code dev.converge.server} is its API: the server, its options and its limits,
 * for the CLI and for programs that embed it.
 */
module dev.converge.server {
  requires transitive dev.converge.net;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  // Inspector.handler() hands a Jetty Handler to whoever mounts it.
  requires transitive org.eclipse.jetty.server;
  // WebSocketConnection, public so that Jetty can call it, implements Jetty's Session.Listener.
  requires transitive org.eclipse.jetty.websocket.api;
  requires org.eclipse.jetty.websocket.server;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.converge.server;
  exports dev.converge.server.inspector;
}
