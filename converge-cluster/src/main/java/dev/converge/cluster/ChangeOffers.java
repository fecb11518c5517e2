package dev.converge.cluster;

import dev.converge.repo.DocumentId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the sync server which documents gained changes, on threads of its own, once per document
 * however many changes arrived meanwhile. Offering a document's gains generates a sync message for
 * every peer of the document; done on the Kafka consumer's thread for every record, it made that
 * one thread the node's bottleneck: under load its lag grew without bound, and each record waited
 * for the offers of all records before it. Here the consumer only marks the document; a document
 * marked again before its offer ran is offered once, with everything it gained.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class ChangeOffers implements Consumer<DocumentId>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeOffers.class);
  private static final int THREADS = 2;

  private final Consumer<DocumentId> target;
  private final Set<DocumentId> pending = ConcurrentHashMap.newKeySet();
  private final ExecutorService offering =
      Executors.newFixedThreadPool(
          THREADS,
          runnable -> {
            Thread thread = new Thread(runnable, "converge-cluster-offer");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param target the server's hook, told of each document after it gained changes
   */
  ChangeOffers(Consumer<DocumentId> target) {
    this.target = target;
  }

  /** Marks {@code id} as changed; its offer runs soon, once for all marks until it starts. */
  @Override
  public void accept(DocumentId id) {
    if (!pending.add(id)) {
      return; // an offer not started yet will send what this change added
    }
    try {
      offering.execute(() -> offer(id));
    } catch (RejectedExecutionException closing) {
      pending.remove(id); // closing: peers get the changes on their next connection
    }
  }

  private void offer(DocumentId id) {
    // Unmarked before the offer reads the document: a change added during the offer marks it
    // again, so nothing is left unsent.
    pending.remove(id);
    try {
      target.accept(id);
    } catch (RuntimeException e) {
      log.warn("cannot offer the changes of {}: {}", id, e.toString());
    }
  }

  @Override
  public void close() {
    offering.shutdown();
  }
}
