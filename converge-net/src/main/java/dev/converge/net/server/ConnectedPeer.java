package dev.converge.net.server;

import java.util.Objects;

/**
 * A client connected to a {@link SyncServer}, as an operator sees it (the inspector of {@code
 * converge serve}).
 *
 * @param peerId the peer ID it joined with, {@code ""} before its {@code join}
 * @param user who the transport authenticated it as (a token's name), {@code ""} if nobody
 * @param address where it is, as the transport describes it (an address and port)
 * @param connectedAtMillis when it connected, by the server's wall clock
 * @param documents how many documents it syncs through this connection
 */
public record ConnectedPeer(
    String peerId, String user, String address, long connectedAtMillis, int documents) {
  public ConnectedPeer {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(address, "address");
  }
}
