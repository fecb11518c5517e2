package dev.converge.net.client;

import dev.converge.core.ConvergeException;
import dev.converge.net.internal.PurgeMessages;
import dev.converge.repo.DocumentId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The purges a {@link RepoPeer} asked a server for and waits on: each completes when a server
 * confirms ({@link PurgeMessages#PURGED}) and the local copy is purged, and fails when a server
 * answers {@code doc-unavailable} instead (it refused: the peer may not write the document).
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class PendingPurges {
  private final Map<DocumentId, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();

  CompletableFuture<Boolean> expect(DocumentId id) {
    return pending.computeIfAbsent(id, key -> new CompletableFuture<>());
  }

  void done(DocumentId id, boolean existed) {
    CompletableFuture<Boolean> future = pending.remove(id);
    if (future != null) {
      future.complete(existed);
    }
  }

  void failed(DocumentId id, ConvergeException cause) {
    CompletableFuture<Boolean> future = pending.remove(id);
    if (future != null) {
      future.completeExceptionally(cause);
    }
  }

  /** A server answered {@code doc-unavailable} for a document we asked it to purge. */
  void refused(DocumentId id) {
    failed(
        id,
        new ConvergeException(
            ConvergeException.Kind.INVALID_ARGUMENT,
            "the server refused to purge " + id + " (no write access to it, or it is unknown)"));
  }
}
