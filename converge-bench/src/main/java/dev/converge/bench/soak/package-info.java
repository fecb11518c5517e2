/**
 * The hostile-client soak of {@code converge serve}: peer-ID takeovers, floods, oversize frames,
 * malformed CBOR, bad tokens, denied documents and a thousand idle sockets against one server,
 * while two good clients edit a document once a second. See {@link
 * dev.converge.bench.soak.HostileSoak}.
 */
@NullMarked
package dev.converge.bench.soak;

import org.jspecify.annotations.NullMarked;
