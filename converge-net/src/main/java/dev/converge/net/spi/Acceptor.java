package dev.converge.net.spi;

/** Accepts connections a transport has opened, as a server does. */
public interface Acceptor {
  /** A new connection: returns the handler for its frames. */
  ConnectionHandler accept(Connection connection);
}
