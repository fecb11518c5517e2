package dev.converge.repo.spi;

import dev.converge.core.ChangeHash;
import java.util.List;
import java.util.Optional;

/**
 * The store lost acknowledged changes: its log holds fewer changes than it recorded when they were
 * appended (a dropped page, a truncated WAL, a file restored from an older copy that kept its
 * bookkeeping). Nothing was served from the damaged document; recover it by merging the changes
 * back from a peer that has them ({@code Repo.repair}).
 */
public class LostChangesException extends CorruptStoreException {
  private static final long serialVersionUID = 1L;

  private final Optional<String> documentId;
  private final List<ChangeHash> missingHeads;

  /**
   * @param documentId the document whose log is short, if one was singled out
   * @param missingHeads recorded heads the log no longer reaches
   */
  public LostChangesException(
      String message, Optional<String> documentId, List<ChangeHash> missingHeads) {
    super(message);
    this.documentId = documentId;
    this.missingHeads = List.copyOf(missingHeads);
  }

  public Optional<String> documentId() {
    return documentId;
  }

  public List<ChangeHash> missingHeads() {
    return missingHeads;
  }
}
