package dev.converge.cluster;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.server.ServerBackend;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.kafka.common.errors.RetriableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents of a node, as its sync server sees them: those of the node's repository, each with
 * a gate ({@link DocHandle.ChangeGate}) that holds a client's sync message until Kafka has its
 * changes. The gate checks the changes as every node will read them ({@link ChangeRecords#checked};
 * a bad message is refused as on a lone server, and nothing reaches Kafka), sends them without
 * waiting, and queues the message behind the earlier ones of its document; a message without
 * changes queues too while the document has one waiting, so each document's messages are applied in
 * the order they came. When Kafka acknowledges, a thread of the node's own (never the connection's,
 * never Kafka's) applies the acknowledged head of the queue under the document's lock and offers
 * the peers what the document gained: no peer of this node sees a change before Kafka has it, and
 * the connection's thread never waits for Kafka. Until then the message's sender gets no answer
 * either: its peer state has not seen the message ({@link DocHandle.ChangeGate#DEFERRED}), and the
 * server counts the changes, gossips the new heads and answers when they are applied ({@link
 * ServerBackend.Changes#admitted}).
 *
 * <p>A send that fails (Kafka away past the produce timeout) is counted and sent again: its message
 * and those behind it wait, applied once Kafka has it. Past {@value #WAITING_MESSAGES_MAX} waiting
 * messages or {@value #WAITING_BYTES_MAX} bytes of waiting changes the gate refuses more: the
 * server closes that client's connection with an error, and the client, which still holds its
 * changes, sends them again on its next connection. A send Kafka refuses for good (a non-retriable
 * error) drops its message unapplied and closes every connection syncing the document ({@link
 * ServerBackend.Changes#refused}), so that the client that sent it sends it again. Changes the
 * document gains otherwise (a local edit) are produced by a listener, after they are applied.
 *
 * <p>Changes the node consumed from Kafka are not produced again ({@link FromKafka}). Purge is
 * refused: the Kafka log keeps every change, so a node cannot make a document go away.
 *
 * <p>Thread-safety: safe for use by many threads; each document's queue is guarded by the lock of
 * its handle.
 */
final class ClusterDocuments implements DocumentStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterDocuments.class);
  static final int WAITING_MESSAGES_MAX = 50_000;
  static final long WAITING_BYTES_MAX = 16L << 20;

  /** Kafka refuses larger records with its default {@code max.request.size} (1 MiB). */
  static final int RECORD_BYTES_MAX = 1_000_000;

  private static final int APPLIER_THREADS = 2;

  private final Repo repo;
  private final ChangeProducer producer;
  private final DocHandle.ChangeListener produce = this::produce;
  private final DocHandle.ChangeGate gate = this::admit;
  private final ClusterMetrics metrics;
  private final Map<DocHandle, ArrayDeque<Waiting>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong waitingMessages = new AtomicLong();
  private final AtomicLong waitingBytes = new AtomicLong();
  private final ExecutorService appliers =
      Executors.newFixedThreadPool(
          APPLIER_THREADS,
          runnable -> {
            Thread thread = new Thread(runnable, "converge-cluster-apply");
            thread.setDaemon(true);
            return thread;
          });
  private volatile ServerBackend.Changes changes =
      new ServerBackend.Changes() {
        @Override
        public void changed(DocumentId id) {}

        @Override
        public void admitted(DocumentId id, int applied, long receivedNanos) {}

        @Override
        public void refused(DocumentId id, String reason) {}
      };
  private volatile boolean closed;

  /** Set while a client's changes, already produced, are applied. */
  private static final ThreadLocal<Boolean> ADMITTED = ThreadLocal.withInitial(() -> false);

  /** Handles with the listener; weak, so handles the repository let go are not kept. */
  private final Set<DocHandle> watched =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /**
   * A client's sync message waiting to be applied: {@code record} its changes (null for a message
   * without), {@code acked} Kafka's answer for the latest send of them.
   */
  private static final class Waiting {
    final IntSupplier apply;
    final byte @Nullable [] record;
    final int changeEntries;
    final long receivedNanos = System.nanoTime();
    @Nullable CompletableFuture<Long> acked;

    Waiting(IntSupplier apply, byte @Nullable [] record, int changeEntries) {
      this.apply = apply;
      this.record = record;
      this.changeEntries = changeEntries;
    }

    int bytes() {
      return record == null ? 0 : record.length;
    }
  }

  ClusterDocuments(Repo repo, ChangeProducer producer, ClusterMetrics metrics) {
    this.repo = repo;
    this.producer = producer;
    this.metrics = metrics;
  }

  /**
   * Where the server hears of the messages applied after Kafka acknowledged them, and of those
   * Kafka refused.
   */
  void onChanges(ServerBackend.Changes target) {
    changes = target;
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

  /** Runs under the handle's lock (the gate's contract). */
  private int admit(DocHandle handle, List<byte[]> entries, IntSupplier apply) {
    ArrayDeque<Waiting> queue = waiting.get(handle);
    if (entries.isEmpty() && queue == null) {
      return apply.getAsInt();
    }
    byte[] record = entries.isEmpty() ? null : ChangeRecords.checked(entries);
    if (record != null && record.length > RECORD_BYTES_MAX) {
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          "a sync message for "
              + handle.id()
              + " holds "
              + record.length
              + " bytes of changes; a Kafka record holds at most "
              + RECORD_BYTES_MAX);
    }
    Waiting message = new Waiting(apply, record, entries.size());
    reserve(handle.id(), message.bytes());
    if (queue == null) {
      queue = new ArrayDeque<>();
      waiting.put(handle, queue);
    }
    queue.add(message);
    if (record != null) {
      send(handle, message);
    }
    return DocHandle.ChangeGate.DEFERRED;
  }

  /** Counts a waiting message, or refuses it if too many wait. */
  private void reserve(DocumentId id, int bytes) {
    long messages = waitingMessages.incrementAndGet();
    long held = waitingBytes.addAndGet(bytes);
    if (messages > WAITING_MESSAGES_MAX || held > WAITING_BYTES_MAX) {
      release(bytes);
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          "Kafka has not acknowledged "
              + (messages - 1)
              + " messages ("
              + (held - bytes)
              + " bytes) yet; refusing the changes for "
              + id);
    }
  }

  private void release(int bytes) {
    waitingMessages.decrementAndGet();
    waitingBytes.addAndGet(-bytes);
  }

  private void send(DocHandle handle, Waiting message) {
    CompletableFuture<Long> acked =
        producer.send(handle.id(), java.util.Objects.requireNonNull(message.record));
    message.acked = acked;
    var unused = acked.whenComplete((nanos, failure) -> schedule(handle));
  }

  private void schedule(DocHandle handle) {
    try {
      appliers.execute(() -> drain(handle));
    } catch (RejectedExecutionException closing) {
      // The node is closing: what Kafka has, the node reads from it after its restart.
    }
  }

  /** Applies the acknowledged head of the document's queue, then offers the peers its gains. */
  private void drain(DocHandle handle) {
    boolean drained = false;
    int applied = 0;
    long receivedNanos = 0;
    String refusal = null;
    synchronized (handle) {
      ArrayDeque<Waiting> queue = waiting.get(handle);
      while (queue != null && !queue.isEmpty() && !closed) {
        Waiting head = queue.peek();
        CompletableFuture<Long> acked = head.acked;
        if (acked != null && !acked.isDone()) {
          break;
        }
        long nanos = 0;
        if (acked != null) {
          try {
            nanos = acked.join();
          } catch (CompletionException e) {
            if (failed(handle, head, e.getCause())) {
              break;
            }
            queue.poll();
            release(head.bytes());
            refusal = "Kafka refused a change of " + handle.id() + ": " + e.getCause();
            continue;
          }
        }
        queue.poll();
        release(head.bytes());
        if (acked != null) {
          metrics.produced(head.changeEntries, nanos);
        }
        if (!drained) {
          receivedNanos = head.receivedNanos;
        }
        applied += applyAdmitted(handle, head.apply);
        drained = true;
      }
      if (queue != null && queue.isEmpty()) {
        waiting.remove(handle);
      }
    }
    // Outside the lock: the server takes its own locks to gossip, offer and close.
    if (drained) {
      changes.admitted(handle.id(), applied, receivedNanos);
    }
    if (refusal != null) {
      changes.refused(handle.id(), refusal);
    }
  }

  /**
   * A send failed: sends it again if Kafka may take it later (true: the queue waits), else drops
   * the message unapplied (false).
   */
  private boolean failed(DocHandle handle, Waiting head, @Nullable Throwable cause) {
    metrics.produceFailed();
    if (cause instanceof RetriableException) {
      log.warn(
          "Kafka did not take a message for {} in time, sending it again: {}",
          handle.id(),
          String.valueOf(cause));
      send(handle, head);
      return true;
    }
    log.warn(
        "Kafka refused a message for {}; it is not applied, and its document's connections close"
            + " so that their clients send it again: {}",
        handle.id(),
        String.valueOf(cause));
    return false;
  }

  /** Applies a message Kafka took; returns how many changes the document gained. */
  private static int applyAdmitted(DocHandle handle, IntSupplier apply) {
    ADMITTED.set(true);
    try {
      return Math.max(0, apply.getAsInt());
    } catch (ConvergeException e) {
      // In Kafka, but refused here: every node refuses it on consume too.
      log.warn(
          "a client's message for {} is refused after Kafka took it: {}",
          handle.id(),
          e.getMessage());
      return 0;
    } finally {
      ADMITTED.set(false);
    }
  }

  private void produce(DocHandle handle, List<Change> added) {
    if (!FromKafka.active() && !ADMITTED.get()) {
      producer.produce(handle.id(), added);
    }
  }

  /** Stops applying: what Kafka acknowledged and was not applied yet, the node reads from it. */
  @Override
  public void close() {
    closed = true;
    appliers.shutdown();
  }
}
