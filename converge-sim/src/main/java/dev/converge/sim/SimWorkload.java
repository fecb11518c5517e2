package dev.converge.sim;

import dev.converge.core.Change;
import dev.converge.core.LoadOptions;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What the replicas' users do: a shared base document at the start (when the run's profile says
 * so), then local changes of random edits ({@link SimEdits}) on random replicas that are up, each
 * written at once and made durable (acknowledged) at once or later, and offered to the replica's
 * peers.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SimWorkload {
  private final Replicas replicas;
  private final SyncSessions sessions;
  private final SplittableRandom random;
  private final FaultProfile profile;
  private final SimStats stats;

  SimWorkload(
      Replicas replicas,
      SyncSessions sessions,
      SplittableRandom random,
      FaultProfile profile,
      SimStats stats) {
    this.replicas = replicas;
    this.sessions = sessions;
    this.random = random;
    this.profile = profile;
    this.stats = stats;
  }

  /**
   * With a shared start, replica 0 makes the base change, durable, and every other replica loads it
   * (else each starts empty and creates the root objects concurrently).
   */
  void start() {
    if (!profile.sharedStart()) {
      return;
    }
    Replica first = replicas.get(0);
    Change base = first.doc().change(SimEdits::init).orElseThrow();
    first.localChangeWritten(base.hash());
    first.sync();
    byte[] saved = first.doc().save();
    for (int i = 1; i < replicas.count(); i++) {
      replicas.get(i).doc().loadIncremental(saved, LoadOptions.DEFAULT);
      replicas.get(i).sync();
    }
  }

  /** A random replica that is up makes one local change, if its edits make any op. */
  void edit() {
    Optional<Replica> chosen = replicas.randomUp(random);
    if (chosen.isEmpty()) {
      return;
    }
    Replica replica = chosen.get();
    Optional<Change> change = SimEdits.change(replica.doc(), random);
    if (change.isEmpty()) {
      return;
    }
    stats.localChanges++;
    replica.localChangeWritten(change.get().hash());
    if (random.nextInt(100) < profile.syncOnWritePercent()) {
      replica.sync();
    }
    sessions.announce(replica);
  }
}
