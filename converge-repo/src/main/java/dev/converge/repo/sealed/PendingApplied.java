package dev.converge.repo.sealed;

import dev.converge.core.ChangeHash;
import dev.converge.repo.DocumentId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Envelopes applied to documents whose changes the repository's log does not hold durably yet. A
 * sync goes on as soon as an envelope's changes are in the document, as a plaintext sync goes on
 * once a message's changes are (the log appends in the background); the store records an envelope
 * as applied only once its changes are durable. A crash in between loses only that record: the
 * relay keeps every envelope, whoever has read it, so the next sync fetches those envelopes again.
 *
 * <p>Per document, entries are recorded in the order they were applied, so the stored coverage
 * never goes back. An entry whose changes failed to append is dropped with the later ones of its
 * document (the handle is broken then, and its later appends fail too).
 *
 * <p>Thread-safety: every method is synchronized.
 */
final class PendingApplied {
  private record Entry(
      DocumentId id,
      CompletableFuture<Void> durable,
      List<SealedStore.Applied> applied,
      List<ChangeHash> covered) {}

  private final SealedStore store;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  PendingApplied(SealedStore store) {
    this.store = store;
  }

  /**
   * Records {@code applied}, and the coverage {@code covered}, of document {@code id} once {@code
   * durable} completes (at a later {@link #recordDurable} or {@link #awaitAll}).
   */
  synchronized void add(
      DocumentId id,
      CompletableFuture<Void> durable,
      List<SealedStore.Applied> applied,
      List<ChangeHash> covered) {
    entries.add(new Entry(id, durable, List.copyOf(applied), covered));
  }

  /** Stores what is durable by now, one transaction per document; keeps the rest waiting. */
  synchronized void recordDurable() {
    Map<DocumentId, List<Entry>> ready = new LinkedHashMap<>();
    Set<DocumentId> waiting = new HashSet<>();
    Set<DocumentId> failed = new HashSet<>();
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (waiting.contains(entry.id())) {
        continue;
      }
      if (failed.contains(entry.id()) || entry.durable().isCompletedExceptionally()) {
        failed.add(entry.id());
        it.remove();
      } else if (entry.durable().isDone()) {
        ready.computeIfAbsent(entry.id(), id -> new ArrayList<>()).add(entry);
        it.remove();
      } else {
        waiting.add(entry.id());
      }
    }
    for (Map.Entry<DocumentId, List<Entry>> document : ready.entrySet()) {
      List<SealedStore.Applied> applied = new ArrayList<>();
      List<ChangeHash> covered = List.of();
      for (Entry entry : document.getValue()) {
        applied.addAll(entry.applied());
        covered = entry.covered();
      }
      store.recordApplied(document.getKey(), applied, covered);
    }
  }

  /** Waits until the changes of every entry of {@code id} are durable (or failed), and records. */
  synchronized void awaitAll(DocumentId id) {
    for (Entry entry : entries) {
      if (entry.id().equals(id)) {
        await(entry.durable());
      }
    }
    recordDurable();
  }

  /** Waits for every entry, and records. */
  synchronized void awaitAll() {
    for (Entry entry : entries) {
      await(entry.durable());
    }
    recordDurable();
  }

  private static void await(CompletableFuture<Void> durable) {
    try {
      durable.join();
    } catch (CompletionException e) {
      // The append failed: recordDurable drops the entry, and the next sync fetches it again.
      var unused = e;
    }
  }

  /**
   * Brings a document just loaded from the store up to what was applied in memory: the entries
   * still waiting for the log, in order.
   */
  synchronized void overlay(SealedDocument document) {
    for (Entry entry : entries) {
      if (entry.id().equals(document.id)) {
        for (SealedStore.Applied one : entry.applied()) {
          document.applied.put(one.signer(), one);
        }
        document.covered = entry.covered();
      }
    }
  }
}
