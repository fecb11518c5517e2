/**
 * The network adapter SPI: a transport (WebSocket, in-memory) turns its connections into {@link
 * dev.converge.net.spi.Connection}s that carry whole frames, and hands them to an {@link
 * dev.converge.net.spi.Acceptor}.
 */
@NullMarked
package dev.converge.net.spi;

import org.jspecify.annotations.NullMarked;
