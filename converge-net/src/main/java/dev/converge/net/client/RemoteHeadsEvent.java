package dev.converge.net.client;

import dev.converge.core.ChangeHash;
import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Objects;

/**
 * The heads of a document at a storage peer we subscribed to ({@link RepoPeer#subscribeToRemotes}),
 * as remote-heads gossip reported them: automerge-repo's {@code remote-heads} event. With the sync
 * server's own storage ID it says which of our changes the server has stored.
 *
 * @param documentId the document
 * @param storageId the storage peer whose heads these are
 * @param heads its heads of the document
 * @param timestampMillis when the peer that reported them learned them, in milliseconds since the
 *     epoch by that peer's clock: for ordering reports of one storage peer, not for comparing with
 *     ours
 */
public record RemoteHeadsEvent(
    DocumentId documentId, String storageId, List<ChangeHash> heads, long timestampMillis) {
  public RemoteHeadsEvent {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(storageId, "storageId");
    heads = List.copyOf(heads);
  }
}
