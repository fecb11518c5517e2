package dev.converge.net.client;

import dev.converge.core.sync.SyncLimits;
import dev.converge.net.protocol.CodecLimits;
import dev.converge.net.protocol.PeerMetadata;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Settings of a {@link RepoPeer}.
 *
 * @param peerId our {@code senderId}; unique among the peers of a server (a second join with the
 *     same ID replaces the first connection)
 * @param peerMetadata what {@code join} says about us
 * @param sharePolicy which documents we announce to which peers, and answer
 * @param codecLimits bounds on frames from peers
 * @param syncLimits bounds on the sync messages inside them
 * @param backoff delays between reconnection attempts
 * @param random the source of reconnection jitter (used under the peer's lock) and of the peer's
 *     ephemeral session ID (drawn once, in its constructor)
 */
public record RepoPeerOptions(
    String peerId,
    PeerMetadata peerMetadata,
    SharePolicy sharePolicy,
    CodecLimits codecLimits,
    SyncLimits syncLimits,
    ReconnectBackoff backoff,
    RandomGenerator random) {
  public RepoPeerOptions {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(peerMetadata, "peerMetadata");
    Objects.requireNonNull(sharePolicy, "sharePolicy");
    Objects.requireNonNull(codecLimits, "codecLimits");
    Objects.requireNonNull(syncLimits, "syncLimits");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(random, "random");
    if (peerId.isEmpty()) {
      throw new IllegalArgumentException("peerId must not be empty");
    }
  }

  /**
   * An ephemeral-metadata peer ({@code isEphemeral: true}, so servers keep no sync state for it)
   * that announces every document, as a JavaScript client with {@code sharePolicy: true}.
   */
  public static RepoPeerOptions of(String peerId, RandomGenerator random) {
    return new RepoPeerOptions(
        peerId,
        PeerMetadata.ephemeral(),
        SharePolicy.ALWAYS,
        CodecLimits.DEFAULT,
        SyncLimits.DEFAULT,
        ReconnectBackoff.DEFAULT,
        random);
  }

  public RepoPeerOptions withSharePolicy(SharePolicy value) {
    return new RepoPeerOptions(
        peerId, peerMetadata, value, codecLimits, syncLimits, backoff, random);
  }

  public RepoPeerOptions withBackoff(ReconnectBackoff value) {
    return new RepoPeerOptions(
        peerId, peerMetadata, sharePolicy, codecLimits, syncLimits, value, random);
  }

  public RepoPeerOptions withPeerMetadata(PeerMetadata value) {
    return new RepoPeerOptions(
        peerId, value, sharePolicy, codecLimits, syncLimits, backoff, random);
  }
}
