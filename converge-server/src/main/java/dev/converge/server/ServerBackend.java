package dev.converge.server;

import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.Storage;

/**
 * Where a server's documents come from besides its clients: nothing for a lone server ({@link
 * #LOCAL}); a cluster's shared log for a node of a cluster. The server calls {@link #documents}
 * once it opened its repository, {@link #start} once it can sync, {@link #health} and {@link
 * #metrics} for its HTTP endpoints, and {@link #close} after it closed every connection and before
 * it closes the repository.
 *
 * <p>Thread-safety: {@link #health} and {@link #metrics} are called from any thread.
 */
public interface ServerBackend extends AutoCloseable {
  /** A lone server: its repository, nothing more. */
  ServerBackend LOCAL =
      new ServerBackend() {
        @Override
        public DocumentStore documents(Repo repo, Storage storage) {
          return DocumentStore.of(repo);
        }

        @Override
        public void start(Changes changes) {}

        @Override
        public Health health() {
          return new Health(true, "");
        }

        @Override
        public String metrics() {
          return "";
        }

        @Override
        public void close() {}
      };

  /**
   * What a backend adds to {@code /health}.
   *
   * @param ready false turns the status to {@code degraded}
   * @param jsonFields further fields of the JSON object, each {@code "name":value}, comma
   *     separated; empty for none
   */
  record Health(boolean ready, String jsonFields) {}

  /** The store the sync server syncs, over the repository the server opened. */
  DocumentStore documents(Repo repo, Storage storage);

  /** What a backend tells the sync server. Thread-safety: every method may be called from any. */
  interface Changes {
    /** Document {@code id} gained changes from elsewhere: the server offers them to its peers. */
    void changed(DocumentId id);

    /**
     * A client's sync message for {@code id}, held back by the backend's gate, is applied now and
     * added {@code applied} changes: the server counts them, tells remote-heads subscribers, and
     * offers them to its peers; {@code receivedNanos} is when the message arrived.
     */
    void admitted(DocumentId id, int applied, long receivedNanos);

    /**
     * The backend cannot keep a change a client sent for {@code id}: the server closes the
     * connections syncing it, so that their clients send their changes again.
     */
    void refused(DocumentId id, String reason);
  }

  /**
   * Starts bringing in documents from elsewhere, telling the sync server through {@code changes}.
   */
  void start(Changes changes);

  Health health();

  /** Lines of Prometheus text appended to {@code /metrics}; empty for none. */
  String metrics();

  @Override
  void close();
}
