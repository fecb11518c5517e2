/**
 * The automerge-repo wire protocol and its transports. Every package is API: the protocol and the
 * repository peer ({@code dev.converge.net}), the transport SPI ({@code dev.converge.net.spi}), the
 * WebSocket client ({@code dev.converge.net.websocket}) and the in-memory network for tests ({@code
 * dev.converge.net.memory}).
 */
module dev.converge.net {
  requires transitive dev.converge.core;
  requires transitive dev.converge.repo;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires transitive java.net.http;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.converge.net;
  exports dev.converge.net.spi;
  exports dev.converge.net.websocket;
  exports dev.converge.net.memory;
}
