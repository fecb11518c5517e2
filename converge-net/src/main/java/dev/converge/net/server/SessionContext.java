package dev.converge.net.server;

import dev.converge.net.internal.LogThrottle;
import dev.converge.net.protocol.MessageCodec;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What every {@link ServerSession} of one {@link SyncServer} shares: the server's options and
 * collaborators, one instance each per server.
 *
 * @param peers who holds each peer ID
 * @param sessions the open sessions
 * @param sealedRelay the sealed-document relay; null if the server relays none
 * @param nanoTime the monotonic clock of rate limits and join timeouts
 * @param wallClock the clock of connection times shown to operators
 * @param unjoinedLog throttles the log lines about connections closed before they joined, which a
 *     client can open and drop at will
 */
record SessionContext(
    SyncServerOptions options,
    NetworkObserver observer,
    MessageCodec codec,
    PeerIds<ServerSession> peers,
    Set<ServerSession> sessions,
    ServerDocuments documents,
    ServerGossip gossip,
    EphemeralRelay ephemeralRelay,
    ServerCompactions compactions,
    ServerPurges purges,
    @Nullable SealedRelayEndpoint sealedRelay,
    LongSupplier nanoTime,
    InstantSource wallClock,
    LogThrottle unjoinedLog) {}
