/**
 * The sync server. It holds secondary copies of documents for automerge-repo clients over WebSocket
 * (Jetty), with bearer-token authentication and per-document access, limits per connection and
 * across connections, retention of unused documents, {@code /health} and Prometheus {@code
 * /metrics}, and an inspector for operators. The server is never required: peers can sync without
 * it.
 *
 * <p>Where its documents come from besides its clients is a {@link
 * dev.converge.server.ServerBackend}: its own repository alone ({@code ServerBackend.LOCAL}), or a
 * cluster's shared log for a node of a cluster ({@code dev.converge.cluster.ClusterNode}, in the
 * {@code converge-cluster} module), which tells the sync server of changes that arrive by that
 * path.
 */
@NullMarked
package dev.converge.server;

import org.jspecify.annotations.NullMarked;
