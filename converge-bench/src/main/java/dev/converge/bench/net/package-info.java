/**
 * The network load benchmark: many WebSocket clients editing shared documents through {@code
 * converge serve} and through the JavaScript automerge-repo sync server, in one run. See {@link
 * dev.converge.bench.net.NetLoadBench}.
 */
@NullMarked
package dev.converge.bench.net;

import org.jspecify.annotations.NullMarked;
