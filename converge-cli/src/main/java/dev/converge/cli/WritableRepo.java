package dev.converge.cli;

import dev.converge.core.ActorId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.sqlite.IfMissing;
import java.nio.file.Path;

/**
 * An existing repository opened by a command that writes, as this device's actor ({@link
 * DeviceActor}). The actor is recorded only after a write succeeded, so a refused command leaves
 * the directory as it found it.
 */
final class WritableRepo implements AutoCloseable {
  private final Path dir;
  private final ActorId actor;
  private final Repo repo;

  private WritableRepo(Path dir, ActorId actor, Repo repo) {
    this.dir = dir;
    this.actor = actor;
    this.repo = repo;
  }

  static WritableRepo open(Path dir) {
    ActorId actor = DeviceActor.read(dir);
    Repo repo =
        Repo.open(dir, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE).withActor(actor));
    return new WritableRepo(dir, actor, repo);
  }

  Repo repo() {
    return repo;
  }

  /** This device's actor in the repository. */
  ActorId actor() {
    return actor;
  }

  /** Call once the command's changes are durable. */
  void written() {
    DeviceActor.remember(dir, actor);
  }

  @Override
  public void close() {
    repo.close();
  }
}
