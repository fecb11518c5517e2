package dev.converge.net.client;

import dev.converge.repo.DocumentId;

/**
 * Which documents a {@link RepoPeer} shares with which peers, with automerge-repo's semantics
 * ({@code shareConfig}; the legacy {@code sharePolicy} option is {@link #announce} with {@link
 * #access} always true):
 *
 * <ul>
 *   <li>{@link #announce}: whether we start syncing a document with a peer on our own, offering it
 *       (or requesting it, if we lack it) without being asked. A sync server announces nothing.
 *   <li>{@link #access}: whether we answer a peer that asks for a document or sends changes to it;
 *       a peer without access gets {@code doc-unavailable}, never the content, and its changes are
 *       not applied.
 * </ul>
 *
 * <p>Thread-safety: called from the network's threads; must be safe for that and must not block.
 */
public interface SharePolicy {
  /** Announce everything to everyone, as a JavaScript client with {@code sharePolicy: true}. */
  SharePolicy ALWAYS = (peerId, documentId) -> true;

  /** Announce nothing; answer any peer that asks by ID, as a sync server. */
  SharePolicy NEVER = (peerId, documentId) -> false;

  /** Whether to offer {@code documentId} to {@code peerId} unasked. */
  boolean announce(String peerId, DocumentId documentId);

  /** Whether {@code peerId} may read and write {@code documentId} when it asks; true by default. */
  default boolean access(String peerId, DocumentId documentId) {
    return true;
  }
}
