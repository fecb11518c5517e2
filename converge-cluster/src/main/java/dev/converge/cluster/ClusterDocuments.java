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
import java.util.function.IntSupplier;

/**
 * The documents of a node, as its sync server sees them: those of the node's repository, each with
 * a gate ({@link DocHandle.ChangeGate}) that produces the changes of a client's sync message to
 * Kafka and waits for the acknowledgement before they are applied, under the document's lock: so no
 * peer of this node sees a change before Kafka has it. If Kafka does not acknowledge in time the
 * gate throws, nothing is applied, the server closes that client's connection with an error, and
 * the client, which still holds its change, sends it again on its next connection. Changes the
 * document gains otherwise (a local edit) are produced by a listener, after they are applied.
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
  private final DocHandle.ChangeGate gate = this::admit;
  private final ClusterMetrics metrics;

  /** Set while a client's changes, already produced, are applied. */
  private static final ThreadLocal<Boolean> ADMITTED = ThreadLocal.withInitial(() -> false);

  /** Handles with the listener; weak, so handles the repository let go are not kept. */
  private final Set<DocHandle> watched =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  ClusterDocuments(Repo repo, ChangeProducer producer, ClusterMetrics metrics) {
    this.repo = repo;
    this.producer = producer;
    this.metrics = metrics;
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
      handle.setChangeGate(gate);
      handle.addChangeListener(produce);
    }
    return handle;
  }

  private int admit(DocHandle handle, List<byte[]> entries, IntSupplier apply) {
    long nanos = producer.produceEntries(handle.id(), entries);
    ADMITTED.set(true);
    try {
      int applied = apply.getAsInt();
      metrics.produced(applied, nanos);
      return applied;
    } finally {
      ADMITTED.set(false);
    }
  }

  private void produce(DocHandle handle, List<Change> added) {
    if (!FromKafka.active() && !ADMITTED.get()) {
      producer.produce(handle.id(), added);
    }
  }
}
