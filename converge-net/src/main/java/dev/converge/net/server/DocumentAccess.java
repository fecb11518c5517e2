package dev.converge.net.server;

import dev.converge.repo.DocumentId;
import java.util.Optional;

/**
 * Which authenticated peers a {@link SyncServer} serves which documents. A peer denied a document
 * gets {@code doc-unavailable} for it, whatever it sends: it never receives the content, and its
 * changes are never applied or stored.
 *
 * <p>Thread-safety: called from the network's threads; must be safe for that and must not block.
 */
@FunctionalInterface
public interface DocumentAccess {
  /** Every peer may read and write every document, as on a server without tokens. */
  DocumentAccess ALL = (principal, documentId) -> true;

  /**
   * Whether the peer authenticated as {@code principal} (empty: not authenticated) may read and
   * write {@code documentId}.
   */
  boolean allows(Optional<String> principal, DocumentId documentId);
}
