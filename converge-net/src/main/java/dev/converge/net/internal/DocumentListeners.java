package dev.converge.net.internal;

import dev.converge.net.client.RepoPeer;
import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application listeners of a {@link RepoPeer}, registered per document. A listener that throws is a
 * bug in the application, not in the peer that sent the message: it is logged and costs nothing
 * else (neither the connection, which carries every other document, nor the listeners after it).
 *
 * <p>Thread-safety: safe for use by many threads.
 *
 * @param <L> the listener type
 */
public final class DocumentListeners<L> {
  private static final Logger log = LoggerFactory.getLogger(DocumentListeners.class);

  private final Map<DocumentId, List<L>> listeners = new ConcurrentHashMap<>();

  public void add(DocumentId documentId, L listener) {
    // Added inside compute: a removal that empties the list drops it from the map atomically.
    listeners.compute(
        documentId,
        (id, registered) -> {
          List<L> list = registered == null ? new CopyOnWriteArrayList<>() : registered;
          list.add(listener);
          return list;
        });
  }

  public void remove(DocumentId documentId, L listener) {
    listeners.computeIfPresent(
        documentId,
        (id, registered) -> {
          registered.remove(listener);
          return registered.isEmpty() ? null : registered;
        });
  }

  boolean any(DocumentId documentId) {
    return listeners.containsKey(documentId);
  }

  /** Tells each listener of {@code documentId}, on the calling thread. */
  public void tell(DocumentId documentId, Consumer<L> call) {
    List<L> registered = listeners.get(documentId);
    if (registered == null) {
      return;
    }
    for (L listener : registered) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.error(
            "listener {} of document {} threw; the others are still told", listener, documentId, e);
      }
    }
  }
}
