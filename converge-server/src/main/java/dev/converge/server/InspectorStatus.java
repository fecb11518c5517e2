package dev.converge.server;

import dev.converge.core.ChangeHash;
import dev.converge.net.server.SyncServer;
import dev.converge.repo.DocumentId;
import dev.converge.server.inspector.MetricsSamples;
import dev.converge.server.inspector.PeerStatus;
import dev.converge.server.inspector.ServerStatus;
import java.util.List;
import java.util.Map;

/**
 * What {@code converge serve}'s inspector shows beyond the repository, read from the sync server
 * (its sessions and their sync states) and the metrics history.
 *
 * <p>Thread-safety: safe for use by many threads, as the sync server and the history are.
 */
final class InspectorStatus implements ServerStatus {
  private final SyncServer sync;
  private final MetricsHistory history;

  InspectorStatus(SyncServer sync, MetricsHistory history) {
    this.sync = sync;
    this.history = history;
  }

  @Override
  public List<PeerStatus> peers() {
    return sync.connectedPeers().stream()
        .map(
            peer ->
                new PeerStatus(
                    peer.peerId(),
                    peer.user(),
                    peer.address(),
                    peer.connectedAtMillis(),
                    peer.documents()))
        .toList();
  }

  @Override
  public Map<String, List<ChangeHash>> peerHeads(DocumentId id) {
    return sync.peerHeads(id);
  }

  @Override
  public MetricsSamples metrics() {
    return history.samples();
  }
}
