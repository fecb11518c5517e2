package dev.converge.sim;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.ShareLink;
import dev.converge.repo.sealed.SyncReport;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * One device of the sealed simulation: a repository on disk (its SQLite log and {@code
 * sealed.sqlite}) in its own directory, and the changes it made. A restart closes both stores and
 * opens them again, as a new process would, under a new actor (an incarnation).
 *
 * <p>Randomness (document IDs, actors, keys, nonces) comes from the run's PRNG: the SecureRandom
 * handed to the sealed store is a SHA1PRNG seeded from it, which is deterministic when seeded
 * before its first use.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SealedDevice implements AutoCloseable {
  final int index;
  private final Path directory;
  private final SplittableRandom random;
  private final List<ChangeHash> made = new ArrayList<>();
  private int incarnation;
  private @Nullable Repo repo;
  private @Nullable SealedRepo sealed;

  SealedDevice(int index, Path directory, SplittableRandom random) {
    this.index = index;
    this.directory = directory;
    this.random = random;
    open();
  }

  private void open() {
    byte[] actor = new byte[16];
    actor[0] = (byte) index;
    actor[1] = (byte) incarnation;
    for (int i = 2; i < actor.length; i++) {
      actor[i] = (byte) random.nextInt(256);
    }
    RepoOptions options =
        RepoOptions.defaults()
            .withRandom(new SplittableRandom(random.nextLong()))
            .withActor(ActorId.of(actor));
    Repo opened = Repo.open(directory, options);
    repo = opened;
    sealed = SealedRepo.open(opened, directory, SealedLimits.DEFAULT, seeded(random.nextLong()));
  }

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom secure = SecureRandom.getInstance("SHA1PRNG");
      secure.setSeed(seed);
      return secure;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA1PRNG", e);
    }
  }

  private Repo repo() {
    Repo current = repo;
    if (current == null) {
      throw new IllegalStateException("device " + index + " is closed");
    }
    return current;
  }

  private SealedRepo sealed() {
    SealedRepo current = sealed;
    if (current == null) {
      throw new IllegalStateException("device " + index + " is closed");
    }
    return current;
  }

  /** Creates the sealed document with a first value; returns its share link. */
  ShareLink create() {
    DocHandle handle = repo().create();
    handle.change(tx -> tx.put(ObjId.ROOT, "created by", index)).ifPresent(this::record);
    return sealed().seal(handle);
  }

  void join(ShareLink link) {
    sealed().join(link);
  }

  /** One small edit: a key of its own and a key shared with the other devices. */
  void edit(DocumentId id, int n) {
    DocHandle handle = repo().findOrCreate(id);
    Optional<Change> change =
        handle.change(
            tx -> {
              tx.put(ObjId.ROOT, "device " + index + " key " + (n % 5), n);
              tx.put(ObjId.ROOT, "shared " + (n % 3), index * 1_000_000L + n);
            });
    change.ifPresent(this::record);
  }

  private void record(Change change) {
    made.add(change.hash());
  }

  SyncReport sync(DocumentId id, FaultyRelayChannel channel) {
    return sealed().sync(id, channel);
  }

  void restart() {
    close();
    incarnation++;
    open();
  }

  List<ChangeHash> heads(DocumentId id) {
    return repo().findOrCreate(id).heads();
  }

  String json(DocumentId id) {
    return repo().findOrCreate(id).toJson();
  }

  /** The changes this device made that {@code id}'s copy here lacks. */
  List<ChangeHash> missing(DocumentId id, List<ChangeHash> changes) {
    java.util.Set<ChangeHash> present = new java.util.HashSet<>();
    for (Change change : repo().findOrCreate(id).changes()) {
      present.add(change.hash());
    }
    List<ChangeHash> missing = new ArrayList<>();
    for (ChangeHash hash : changes) {
      if (!present.contains(hash)) {
        missing.add(hash);
      }
    }
    return missing;
  }

  List<ChangeHash> made() {
    return List.copyOf(made);
  }

  @Override
  public void close() {
    SealedRepo s = sealed;
    Repo r = repo;
    sealed = null;
    repo = null;
    if (s != null) {
      s.close();
    }
    if (r != null) {
      r.close();
    }
  }
}
