/**
 * The client side of a sync session: {@link dev.converge.net.client.RepoPeer} keeps a local
 * repository in sync with a server over any {@code dev.converge.net.spi} transport, reconnecting
 * with backoff, and {@link dev.converge.net.client.SyncClient} syncs one document over one
 * WebSocket connection.
 *
 * <p>Inside RepoPeer: {@code RepoPeerLink} dials one endpoint again and again, {@code
 * RepoPeerSession} is one connection, {@code RepoPeerDocuments} the documents it syncs, {@code
 * EphemeralMessages} ephemeral messages, and {@code RepoPeerMoves} purges and compactions: a purge
 * asked of the servers, one a server reports, a compaction made here and announced, and one a
 * server reports, followed to the successor before the old copy is settled.
 */
@NullMarked
package dev.converge.net.client;

import org.jspecify.annotations.NullMarked;
