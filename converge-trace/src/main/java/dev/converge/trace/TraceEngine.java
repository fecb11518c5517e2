package dev.converge.trace;

import java.util.List;
import java.util.Optional;

/**
 * What a trace replay needs from a text CRDT engine: an adapter per engine, so every engine runs in
 * the same harness (as caffeine's benchmarks put Guava and Ehcache behind one interface).
 *
 * <p>Every replica holds one document with a text object at the root key {@code "text"}, created by
 * {@link #create()} in one change by the actor {@link TraceActors#setup()}; replicas for agents are
 * forks of it, with the actor {@link TraceActors#agent(int)}. Actors are fixed, so each run makes
 * the same changes.
 *
 * @param <R> a replica: one document and its text object
 * @param <U> an update: the change(s) of one local transaction, as shipped to other replicas
 */
public interface TraceEngine<R, U> {
  /** A short name for reports: {@code converge}, {@code automerge-jni}. */
  String name();

  /** A new document holding an empty text object, made by the setup actor in one change. */
  R create();

  /** A copy of {@code source} that makes its own changes as the actor of {@code agent}. */
  R fork(R source, int agent);

  /** Applies {@code patches}, in order, as one local transaction (no change if empty). */
  void edit(R replica, List<TracePatch> patches);

  /**
   * Like {@link #edit}, and returns the update other replicas need to see this transaction, or
   * empty if it made no change.
   */
  Optional<U> editForPeers(R replica, List<TracePatch> patches);

  /** Applies an update made by another replica with {@link #editForPeers}. */
  void applyRemote(R replica, U update);

  /** Merges every change of {@code source} into {@code target}. */
  void merge(R target, R source);

  /** The current content of the replica's text object. */
  String text(R replica);

  /**
   * The replica as one compacted document (Automerge's binary format).
   *
   * @throws UnsupportedOperationException if this engine cannot save yet
   */
  byte[] save(R replica);

  /**
   * A replica from bytes made by {@link #save}.
   *
   * @throws UnsupportedOperationException if this engine cannot load yet
   */
  R load(byte[] saved);

  /** Releases the replica (native memory for a JNI engine). The replica is unusable after. */
  void close(R replica);
}
