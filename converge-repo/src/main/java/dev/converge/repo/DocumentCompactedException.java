package dev.converge.repo;

import dev.converge.core.ConvergeException;

/**
 * A write to a handle of a document that was compacted here ({@link Repo#compact}) or whose old
 * copy was purged after a compaction ({@link Repo#settleForward}): the document's value now lives
 * in its successor, a different Automerge document with its own objects and history, so the edit
 * cannot be carried over. Find the successor ({@link #successorId}, or {@link Repo#resolve}) and
 * make the edit there. Nothing changed.
 */
public final class DocumentCompactedException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  private final DocumentId documentId;
  private final DocumentId successorId;

  public DocumentCompactedException(DocumentId documentId, DocumentId successorId) {
    super(
        Kind.CLOSED,
        "document "
            + AutomergeUrl.of(documentId)
            + " was compacted into "
            + AutomergeUrl.of(successorId)
            + "; write to that document instead");
    this.documentId = documentId;
    this.successorId = successorId;
  }

  /** The compacted document, which takes no more writes. */
  public DocumentId documentId() {
    return documentId;
  }

  /** The document that holds its value now. */
  public DocumentId successorId() {
    return successorId;
  }
}
