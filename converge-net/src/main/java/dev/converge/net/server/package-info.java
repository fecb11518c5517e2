/**
 * The server side of a sync session: {@link dev.converge.net.server.SyncServer} accepts connections
 * from any {@code dev.converge.net.spi} transport, syncs the documents its store holds with every
 * peer, relays ephemeral and sealed messages, purges documents on request, follows compactions
 * (refusing a compacted document and purging it once its replicas moved), and enforces the limits
 * and access rules of its {@link dev.converge.net.server.SyncServerOptions}.
 */
@NullMarked
package dev.converge.net.server;

import org.jspecify.annotations.NullMarked;
