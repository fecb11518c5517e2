package dev.converge.repo.spi;

import dev.converge.core.ChangeHash;
import java.util.List;
import java.util.Objects;

/**
 * The link a compaction leaves behind: document {@code documentId} was replaced by {@code
 * successorId}, a new document holding its value as of {@code compactedHeads}. The link outlives
 * the old document's purge, so that whoever still names the old ID is sent to the new one.
 *
 * @param documentId the compacted (old) document
 * @param successorId the document that holds its value now
 * @param compactedHeads the old document's heads whose value the successor took: a replica whose
 *     copy of the old document holds changes beyond them made edits the successor lacks
 */
public record Forward(String documentId, String successorId, List<ChangeHash> compactedHeads) {
  public Forward {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(successorId, "successorId");
    compactedHeads = List.copyOf(compactedHeads);
    if (documentId.equals(successorId)) {
      throw new IllegalArgumentException("a document cannot forward to itself: " + documentId);
    }
  }
}
