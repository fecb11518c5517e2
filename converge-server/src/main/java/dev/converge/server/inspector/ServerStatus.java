package dev.converge.server.inspector;

import dev.converge.core.ChangeHash;
import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Map;

/**
 * What a sync server tells its inspector beyond the repository: the clients connected now, the
 * heads each of them last reported for a document, and the recent history of its metrics. The
 * inspector of {@code converge serve} has one ({@link Inspector#over(dev.converge.repo.Repo,
 * ServerStatus)}); that of {@code converge ui} has none and shows no server panels.
 *
 * <p>Implementations are called from the inspector's request threads, concurrently with the
 * server's own.
 */
public interface ServerStatus {
  /** The clients connected now, in the order they connected. */
  List<PeerStatus> peers();

  /**
   * For document {@code id}, the heads each connected peer syncing it last told the server it has
   * (automerge-repo's sync messages carry them), by peer ID; peers that sent none yet are absent.
   */
  Map<String, List<ChangeHash>> peerHeads(DocumentId id);

  /** The metrics sampled over the last minutes, oldest first. */
  MetricsSamples metrics();
}
