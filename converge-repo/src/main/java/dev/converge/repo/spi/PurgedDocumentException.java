package dev.converge.repo.spi;

/**
 * The store purged this document: it refuses to create it again or to take changes for it, so that
 * a replica that still holds an old copy cannot bring the content back by syncing. Nothing was
 * written.
 */
public final class PurgedDocumentException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String documentId;

  public PurgedDocumentException(String documentId) {
    super(
        Kind.INVALID_ARGUMENT,
        "document " + documentId + " was purged from this store and cannot be written again");
    this.documentId = documentId;
  }

  /** The purged document's ID. */
  public String documentId() {
    return documentId;
  }
}
