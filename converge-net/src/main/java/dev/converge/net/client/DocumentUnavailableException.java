package dev.converge.net.client;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;

/**
 * No connected peer has the document, or none grants access to it: every peer asked answered {@code
 * doc-unavailable} (or was not asked, by the share policy).
 */
public final class DocumentUnavailableException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  private final transient DocumentId documentId;

  public DocumentUnavailableException(DocumentId documentId, String detail) {
    super(Kind.INVALID_ARGUMENT, "document " + documentId + " is unavailable: " + detail);
    this.documentId = documentId;
  }

  public DocumentId documentId() {
    return documentId;
  }
}
