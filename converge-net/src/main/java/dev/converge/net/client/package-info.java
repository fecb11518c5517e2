/**
 * The client side of a sync session: {@link dev.converge.net.client.RepoPeer} keeps a local
 * repository in sync with a server over any {@code dev.converge.net.spi} transport, reconnecting
 * with backoff, and {@link dev.converge.net.client.SyncClient} syncs one document over one
 * WebSocket connection.
 */
@NullMarked
package dev.converge.net.client;

import org.jspecify.annotations.NullMarked;
