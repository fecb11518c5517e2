package dev.converge.cluster;

import dev.converge.core.Change;
import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The documents of a node, as its sync server sees them: those of the node's repository, each with
 * a listener that produces the changes the document gains from the node's clients to Kafka and
 * waits for the acknowledgement. The listener runs under the document's lock, inside the call that
 * applied a client's sync message and before the server answers any peer: so no peer hears that
 * this node has a change before Kafka has it. If Kafka does not acknowledge in time the listener
 * throws, the server closes that client's connection unanswered, and the client, which still holds
 * its change, sends it again on its next connection.
 *
 * <p>Changes the node consumed from Kafka are not produced again ({@link FromKafka}). Purge is
 * refused: the Kafka log keeps every change, so a node cannot make a document go away.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class ClusterDocuments implements DocumentStore {
  private final Repo repo;
  private final ChangeProducer producer;
  private final DocHandle.ChangeListener produce = this::produce;

  /** Handles with the listener; weak, so handles the repository let go are not kept. */
  private final Set<DocHandle> watched =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  ClusterDocuments(Repo repo, ChangeProducer producer) {
    this.repo = repo;
    this.producer = producer;
  }

  @Override
  public Optional<DocHandle> find(DocumentId id) {
    return repo.find(id).map(this::watch);
  }

  @Override
  public DocHandle create(DocumentId id) {
    return watch(repo.findOrPrepare(id));
  }

  @Override
  public boolean isPurged(DocumentId id) {
    return repo.isPurged(id);
  }

  private DocHandle watch(DocHandle handle) {
    if (watched.add(handle)) {
      handle.addChangeListener(produce);
    }
    return handle;
  }

  private void produce(DocHandle handle, List<Change> added) {
    if (!FromKafka.active()) {
      producer.produce(handle.id(), added);
    }
  }
}
