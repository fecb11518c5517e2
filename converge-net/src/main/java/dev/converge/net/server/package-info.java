/**
 * The server side of a sync session: {@link dev.converge.net.server.SyncServer} accepts connections
 * from any {@code dev.converge.net.spi} transport, syncs the documents its {@link
 * dev.converge.net.server.DocumentStore} holds with every peer, relays ephemeral and sealed
 * messages, purges documents on request, follows compactions (refusing a compacted document and
 * purging it once its replicas moved), and enforces the limits and access rules of its {@link
 * dev.converge.net.server.SyncServerOptions}.
 *
 * <p>Inside, as on the client side: {@code ServerSession} is one connection (handshake, the {@code
 * TokenBucket} rate limit, dispatch, sync); {@code ServerDocuments} holds the documents open now,
 * shared by the sessions syncing them, and the sessions waiting for one; {@code ServerGossip} is
 * remote-heads gossip; {@code EphemeralRelay} relays ephemeral messages; {@code ServerPurges} and
 * {@code ServerCompactions} answer purge and compaction messages; {@code SessionContext} is what
 * one server's sessions share. {@link dev.converge.net.server.SyncServer#connectedPeers} and {@link
 * dev.converge.net.server.SyncServer#peerHeads} answer an operator's inspector; {@link
 * dev.converge.net.server.SyncServer#documentChanged} is the hook for changes that reach the store
 * by another path, such as a cluster's shared log.
 */
@NullMarked
package dev.converge.net.server;

import org.jspecify.annotations.NullMarked;
