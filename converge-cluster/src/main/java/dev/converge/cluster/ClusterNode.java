package dev.converge.cluster;

import dev.converge.core.ConvergeException;
import dev.converge.net.server.DocumentStore;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.Storage;
import dev.converge.server.ServerBackend;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sync server as a node of a cluster: the {@link ServerBackend} that shares its documents with
 * the other nodes through Kafka. A change a client sends is produced to the changes topic (keyed by
 * document ID, idempotent, {@code acks=all}) before any peer hears of it ({@link
 * ClusterDocuments}); every node consumes the whole topic into its own repository ({@link
 * ChangeConsumer}) and offers what it gains to its clients. The repository is the node's cache of
 * the log, with the log's offsets in it: a restarted node resumes where it stopped, and a new node
 * starts from the snapshots the nodes publish ({@link SnapshotPublisher}).
 *
 * <p>Thread-safety: the server calls {@link #documents} and {@link #start} once, from one thread;
 * the rest from any.
 */
public final class ClusterNode implements ServerBackend {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  private static final long HEALTH_TIMEOUT_MILLIS = 2_000;

  private final ClusterOptions options;
  private final String clientId;
  private final ClusterMetrics metrics = new ClusterMetrics();
  private final Admin admin;
  private @Nullable ChangeProducer producer;
  private @Nullable ClusterDocuments documents;
  private @Nullable ChangeConsumer consumer;
  private @Nullable Thread consumerThread;
  private @Nullable SnapshotPublisher publisher;
  private @Nullable Thread publisherThread;
  private @Nullable Repo repo;
  private @Nullable Storage storage;
  private @Nullable ChangeOffers offers;

  private ClusterNode(ClusterOptions options) {
    this.options = options;
    this.clientId =
        "converge-node-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.admin =
        Admin.create(
            Map.<String, Object>of(
                "bootstrap.servers",
                options.bootstrapServers(),
                "client.id",
                clientId + "-admin",
                "request.timeout.ms",
                10_000,
                "default.api.timeout.ms",
                30_000));
  }

  /**
   * A node of the cluster {@code options} name; creates the cluster's topics if they are missing.
   *
   * @throws ConvergeException of kind IO if Kafka cannot be reached within 30 s
   */
  public static ClusterNode join(ClusterOptions options) {
    ClusterNode node = new ClusterNode(options);
    try {
      ClusterTopics.ensure(node.admin, options);
    } catch (ExecutionException | TimeoutException e) {
      node.admin.close();
      throw new ConvergeException(
          ConvergeException.Kind.IO,
          "cannot reach Kafka at " + options.bootstrapServers() + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      node.admin.close();
      throw new ConvergeException(ConvergeException.Kind.IO, "interrupted joining the cluster", e);
    }
    return node;
  }

  public ClusterOptions options() {
    return options;
  }

  ClusterMetrics clusterMetrics() {
    return metrics;
  }

  @Override
  public DocumentStore documents(Repo repo, Storage storage) {
    this.repo = repo;
    this.storage = storage;
    ChangeProducer made = new ChangeProducer(options, clientId, metrics);
    producer = made;
    ClusterDocuments store = new ClusterDocuments(repo, made, metrics);
    documents = store;
    return store;
  }

  @Override
  public void start(Changes changes) {
    Repo openRepo = java.util.Objects.requireNonNull(repo, "documents() first");
    Storage openStorage = java.util.Objects.requireNonNull(storage, "documents() first");
    ClusterDocuments store = java.util.Objects.requireNonNull(documents, "documents() first");
    ChangeOffers offering = new ChangeOffers(changes::changed);
    offers = offering;
    store.onChanges(changes);
    ChangeConsumer made =
        new ChangeConsumer(options, clientId, openRepo, openStorage, metrics, offering);
    consumer = made;
    Thread thread = new Thread(made, "converge-kafka-consumer");
    thread.setDaemon(true);
    consumerThread = thread;
    thread.start();
    SnapshotPublisher snapshots =
        new SnapshotPublisher(options, clientId, openRepo, made::progress, metrics);
    publisher = snapshots;
    Thread publishing = new Thread(snapshots, "converge-kafka-snapshots");
    publishing.setDaemon(true);
    publisherThread = publishing;
    publishing.start();
    log.info(
        "cluster node {} of cluster {} at {}",
        clientId,
        options.clusterName(),
        options.bootstrapServers());
  }

  /** Kafka is reachable when it answers a metadata request within 2 s. */
  @Override
  public Health health() {
    boolean reachable;
    try {
      reachable =
          !admin
              .describeCluster()
              .nodes()
              .get(HEALTH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
              .isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      reachable = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reachable = false;
    }
    return new Health(
        reachable,
        "\"kafka\":\""
            + (reachable ? "reachable" : "unreachable")
            + "\",\"cluster\":\""
            + options.clusterName()
            + "\",\"consumerLagRecords\":"
            + metrics.consumerLag());
  }

  @Override
  public String metrics() {
    return metrics.scrape();
  }

  @Override
  public void close() {
    SnapshotPublisher runningPublisher = publisher;
    if (runningPublisher != null) {
      runningPublisher.close();
      join(publisherThread);
    }
    ChangeConsumer runningConsumer = consumer;
    if (runningConsumer != null) {
      runningConsumer.close();
      join(consumerThread);
    }
    ClusterDocuments openDocuments = documents;
    if (openDocuments != null) {
      openDocuments.close();
    }
    ChangeOffers openOffers = offers;
    if (openOffers != null) {
      openOffers.close();
    }
    ChangeProducer runningProducer = producer;
    if (runningProducer != null) {
      runningProducer.close();
    }
    admin.close();
  }

  private static void join(@Nullable Thread thread) {
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
