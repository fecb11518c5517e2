package dev.converge.repo.sealed;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one sync of a sealed document with a relay did.
 *
 * @param documentId the document
 * @param inSync whether the device and the relay ended with the same envelopes and member log, and
 *     nothing left to seal
 * @param envelopesOpened envelopes of others applied to the document
 * @param envelopesSent envelopes of this device the relay accepted
 * @param opsSent member-log operations of this device the relay accepted
 * @param rejected what was refused (envelopes the device would not apply, operations or envelopes
 *     the relay would not take), in the order it happened
 * @param problem why it is not in sync, when it is not
 */
public record SyncReport(
    DocumentId documentId,
    boolean inSync,
    int envelopesOpened,
    int envelopesSent,
    int opsSent,
    List<ConvergeException> rejected,
    Optional<String> problem) {
  public SyncReport {
    Objects.requireNonNull(documentId, "documentId");
    rejected = List.copyOf(rejected);
    Objects.requireNonNull(problem, "problem");
    if (inSync == problem.isPresent()) {
      throw new IllegalArgumentException("a problem is given exactly when not in sync");
    }
  }
}
