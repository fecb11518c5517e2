package dev.converge.repo.sealed.relay;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.ByteString;
import dev.converge.repo.sealed.MemberLog;
import dev.converge.repo.sealed.MemberOp;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.VersionVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The relay's view of one document, kept in memory beside its store: the member log replayed, and
 * each signer's highest sequence number. Guarded by its own monitor (the {@link Relay} holds it for
 * every request about the document).
 */
final class RelayDocument {
  private final DocumentId id;
  private MemberLog log;
  private final TreeMap<ByteString, Long> seqs = new TreeMap<>();
  private long envelopeBytes;

  private RelayDocument(DocumentId id, MemberLog log) {
    this.id = id;
    this.log = log;
  }

  /**
   * The document as the store holds it. The store's operations were checked when they were pushed;
   * they are checked again here, so a damaged store is refused rather than trusted.
   */
  static RelayDocument load(DocumentId id, RelayStore store, SealedLimits limits) {
    List<MemberOp> ops = new ArrayList<>();
    for (ByteString bytes : store.memberOps(id)) {
      ops.add(MemberOp.decode(bytes.toArray(), limits));
    }
    RelayDocument document = new RelayDocument(id, MemberLog.replay(id, ops, limits));
    document.seqs.putAll(store.highestSeqs(id));
    document.envelopeBytes = store.envelopeBytes(id);
    return document;
  }

  DocumentId id() {
    return id;
  }

  boolean known() {
    return log.size() > 0;
  }

  MemberLog log() {
    return log;
  }

  Map<ByteString, Long> seqs() {
    return java.util.Collections.unmodifiableMap(seqs);
  }

  VersionVector vector() {
    return new VersionVector(seqs);
  }

  void logChanged(MemberLog changed) {
    this.log = changed;
  }

  void envelopesStored(List<StoredEnvelope> stored) {
    for (StoredEnvelope envelope : stored) {
      seqs.put(envelope.signer(), envelope.seq());
      envelopeBytes += envelope.bytes().length();
    }
  }

  /** The bytes of the envelopes held, in all. */
  long envelopeBytes() {
    return envelopeBytes;
  }
}
