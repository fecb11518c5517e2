package dev.converge.repo.sealed.relay;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RelayStore} in memory, for tests and the simulator. Thread-safe. */
final class InMemoryRelayStore implements RelayStore {
  private final Map<DocumentId, List<ByteString>> ops = new ConcurrentHashMap<>();
  private final Map<DocumentId, Map<ByteString, List<StoredEnvelope>>> envelopes =
      new ConcurrentHashMap<>();

  @Override
  public List<DocumentId> documents() {
    return List.copyOf(ops.keySet());
  }

  @Override
  public synchronized List<ByteString> memberOps(DocumentId documentId) {
    return List.copyOf(ops.getOrDefault(documentId, List.of()));
  }

  @Override
  public synchronized void appendMemberOps(
      DocumentId documentId, int firstIndex, List<ByteString> appended) {
    List<ByteString> log = ops.computeIfAbsent(documentId, id -> new ArrayList<>());
    if (log.size() != firstIndex) {
      throw new IllegalStateException(
          "member log of " + documentId + " holds " + log.size() + ", appending at " + firstIndex);
    }
    log.addAll(appended);
  }

  @Override
  public synchronized void appendEnvelopes(DocumentId documentId, List<StoredEnvelope> added) {
    Map<ByteString, List<StoredEnvelope>> bySigner =
        envelopes.computeIfAbsent(documentId, id -> new HashMap<>());
    for (StoredEnvelope envelope : added) {
      List<StoredEnvelope> list =
          bySigner.computeIfAbsent(envelope.signer(), s -> new ArrayList<>());
      if (envelope.seq() != list.size() + 1) {
        throw new IllegalStateException("envelope " + envelope.seq() + " is not its signer's next");
      }
      list.add(envelope);
    }
  }

  @Override
  public synchronized List<StoredEnvelope> envelopes(
      DocumentId documentId, ByteString signer, long fromSeq, long bytesMax) {
    List<StoredEnvelope> list =
        envelopes.getOrDefault(documentId, Map.of()).getOrDefault(signer, List.of());
    List<StoredEnvelope> out = new ArrayList<>();
    long bytes = 0;
    for (long seq = Math.max(1, fromSeq); seq <= list.size(); seq++) {
      StoredEnvelope envelope = list.get((int) seq - 1);
      if (!out.isEmpty() && bytes + envelope.bytes().length() > bytesMax) {
        break;
      }
      out.add(envelope);
      bytes += envelope.bytes().length();
    }
    return out;
  }

  @Override
  public synchronized Optional<ByteString> envelopeId(
      DocumentId documentId, ByteString signer, long seq) {
    List<StoredEnvelope> list =
        envelopes.getOrDefault(documentId, Map.of()).getOrDefault(signer, List.of());
    return seq >= 1 && seq <= list.size()
        ? Optional.of(list.get((int) seq - 1).envelopeId())
        : Optional.empty();
  }

  @Override
  public synchronized Map<ByteString, Long> highestSeqs(DocumentId documentId) {
    Map<ByteString, Long> highest = new HashMap<>();
    envelopes
        .getOrDefault(documentId, Map.of())
        .forEach((signer, list) -> highest.put(signer, (long) list.size()));
    return highest;
  }

  @Override
  public synchronized long envelopeBytes(DocumentId documentId) {
    long bytes = 0;
    for (List<StoredEnvelope> list : envelopes.getOrDefault(documentId, Map.of()).values()) {
      for (StoredEnvelope envelope : list) {
        bytes += envelope.bytes().length();
      }
    }
    return bytes;
  }

  @Override
  public void close() {}
}
