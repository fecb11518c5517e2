package dev.converge.repo.sealed;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per signer (its Ed25519 key), the highest sequence number of a document's envelopes that one side
 * holds, all lower numbers included: the whole of an envelope set, since the relay accepts each
 * signer's envelopes in order without gaps. A signer not listed has none.
 *
 * @param seqs sequence numbers by signer, each 1 or more
 */
public record VersionVector(Map<ByteString, Long> seqs) {
  public static final VersionVector EMPTY = new VersionVector(Map.of());

  public VersionVector {
    TreeMap<ByteString, Long> sorted = new TreeMap<>();
    for (Map.Entry<ByteString, Long> entry : seqs.entrySet()) {
      Objects.requireNonNull(entry.getKey(), "signer");
      if (entry.getKey().length() != Ed25519.KEY_BYTES || entry.getValue() < 1) {
        throw new IllegalArgumentException("bad version vector entry " + entry);
      }
      sorted.put(entry.getKey(), entry.getValue());
    }
    seqs = java.util.Collections.unmodifiableSortedMap(sorted);
  }

  /** The highest sequence number held from {@code signer}; 0 if none. */
  public long seq(ByteString signer) {
    Long seq = seqs.get(signer);
    return seq == null ? 0 : seq;
  }

  /** This vector with {@code signer} at {@code seq}. */
  public VersionVector with(ByteString signer, long seq) {
    TreeMap<ByteString, Long> copy = new TreeMap<>(seqs);
    copy.put(signer, seq);
    return new VersionVector(copy);
  }
}
