package dev.converge.net.protocol;

import org.jspecify.annotations.Nullable;

/**
 * What a peer says about itself in {@code join} and {@code peer}: the ID of its storage (a UUID
 * string; absent for a peer without storage) and whether it keeps no data ({@code isEphemeral}).
 * Either may be absent on the wire, or CBOR {@code undefined}.
 */
public record PeerMetadata(@Nullable String storageId, @Nullable Boolean isEphemeral) {
  /** Nothing said. */
  public static final PeerMetadata NONE = new PeerMetadata(null, null);

  /** A peer with storage {@code storageId}, not ephemeral. */
  public static PeerMetadata stored(String storageId) {
    return new PeerMetadata(storageId, false);
  }

  /** A peer without storage. */
  public static PeerMetadata ephemeral() {
    return new PeerMetadata(null, true);
  }
}
