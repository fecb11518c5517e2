package dev.converge.server.inspector;

import java.util.Objects;

/**
 * One client connected to a sync server.
 *
 * @param peerId the peer ID it joined with ({@code ""} before its {@code join})
 * @param user the token's user name, {@code ""} without a token file
 * @param address the client's address and port
 * @param connectedAtMillis when it connected, milliseconds since the epoch
 * @param documents how many documents it syncs through this connection
 */
public record PeerStatus(
    String peerId, String user, String address, long connectedAtMillis, int documents) {
  public PeerStatus {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(address, "address");
    if (documents < 0) {
      throw new IllegalArgumentException("documents must not be negative: " + documents);
    }
  }
}
