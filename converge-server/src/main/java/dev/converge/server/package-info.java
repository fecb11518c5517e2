/**
 * The sync server. It holds secondary copies of documents for automerge-repo clients over WebSocket
 * (Jetty), with bearer-token authentication and per-document access, limits per connection and
 * across connections, retention of unused documents, {@code /health} and Prometheus {@code
 * /metrics}. The server is never required: peers can sync without it.
 */
@NullMarked
package dev.converge.server;

import org.jspecify.annotations.NullMarked;
