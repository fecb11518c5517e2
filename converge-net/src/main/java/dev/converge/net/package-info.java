/**
 * The automerge-repo network protocol: its CBOR messages, a network adapter SPI, WebSocket client
 * and server adapters, and an in-memory adapter for tests. Every frame from a peer is hostile until
 * decoded and checked against limits.
 */
@NullMarked
package dev.converge.net;

import org.jspecify.annotations.NullMarked;
