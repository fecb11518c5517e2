/**
 * The automerge-repo network protocol: its CBOR messages ({@link dev.converge.net.MessageCodec}),
 * the client side ({@link dev.converge.net.RepoPeer}) and the server side ({@link
 * dev.converge.net.SyncServer}) of a sync session. Transports plug in through {@code
 * dev.converge.net.spi}: the WebSocket client is in {@code dev.converge.net.websocket}, the
 * WebSocket server in converge-server, an in-memory network for tests in {@code
 * dev.converge.net.memory}. Every frame from a peer is hostile until decoded and checked against
 * limits.
 */
@NullMarked
package dev.converge.net;

import org.jspecify.annotations.NullMarked;
