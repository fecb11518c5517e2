/**
 * The automerge-repo wire protocol, shared by both sides of a sync session: its messages ({@link
 * dev.converge.net.protocol.RepoMessage}), their CBOR codec ({@link
 * dev.converge.net.protocol.MessageCodec}) and its limits, the errors a hostile frame raises, and
 * the metadata a peer announces. Every frame from a peer is hostile until decoded and checked
 * against limits. The client side is in {@code dev.converge.net.client}, the server side in {@code
 * dev.converge.net.server}; transports plug in through {@code dev.converge.net.spi}.
 */
@NullMarked
package dev.converge.net.protocol;

import org.jspecify.annotations.NullMarked;
