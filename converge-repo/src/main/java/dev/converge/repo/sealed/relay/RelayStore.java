package dev.converge.repo.sealed.relay;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.ByteString;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link Relay} keeps documents: per document its member log (operation bytes by index) and
 * its envelopes by (signer, sequence number). Writes are durable when they return. Callers
 * serialize the writes of one document.
 */
interface RelayStore extends AutoCloseable {
  /** Every document with a member log, in no particular order. */
  List<DocumentId> documents();

  /** The member log's operations, in index order; empty for an unknown document. */
  List<ByteString> memberOps(DocumentId documentId);

  /** Appends operations at indexes {@code firstIndex}, {@code firstIndex + 1}, ... */
  void appendMemberOps(DocumentId documentId, int firstIndex, List<ByteString> ops);

  /** Stores envelopes (each its signer's next), in one unit. */
  void appendEnvelopes(DocumentId documentId, List<StoredEnvelope> envelopes);

  /**
   * The envelopes of {@code signer} with sequence numbers from {@code fromSeq}, in order, until
   * {@code bytesMax} is reached (at least one if there is one).
   */
  List<StoredEnvelope> envelopes(
      DocumentId documentId, ByteString signer, long fromSeq, long bytesMax);

  /** The envelope ID held for {@code signer}'s number {@code seq}. */
  Optional<ByteString> envelopeId(DocumentId documentId, ByteString signer, long seq);

  /** Per signer, the highest sequence number held. */
  java.util.Map<ByteString, Long> highestSeqs(DocumentId documentId);

  /** The bytes of the document's envelopes held, in all. */
  long envelopeBytes(DocumentId documentId);

  @Override
  void close();
}
