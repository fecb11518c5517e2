/**
 * The automerge-repo wire protocol and its transports. The API packages are the protocol ({@code
 * dev.converge.net.protocol}), the client ({@code dev.converge.net.client}) and the server ({@code
 * dev.converge.net.server}) sides of a sync session, the transport SPI ({@code
 * dev.converge.net.spi}), the WebSocket client ({@code dev.converge.net.websocket}) and the
 * in-memory network for tests ({@code dev.converge.net.memory}). Remote-heads gossip ({@code
 * dev.converge.net.gossip}) and what both sides share ({@code dev.converge.net.internal}) stay
 * inside the module, but for the server's use of the latter.
 */
module dev.converge.net {
  requires transitive dev.converge.core;
  requires transitive dev.converge.repo;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires transitive java.net.http;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.converge.net.protocol;
  exports dev.converge.net.client;
  exports dev.converge.net.server;
  exports dev.converge.net.spi;
  exports dev.converge.net.websocket;
  exports dev.converge.net.memory;
  exports dev.converge.net.internal to
      dev.converge.server;
}
