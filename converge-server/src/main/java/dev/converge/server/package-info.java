/**
 * The sync server. It holds secondary copies of documents for automerge-repo clients over
 * WebSocket, with authentication and per-document access, limits, health and metrics, an inspector
 * web UI, and a Kafka backend for clusters. The server is never required: peers can sync without
 * it.
 */
@NullMarked
package dev.converge.server;

import org.jspecify.annotations.NullMarked;
