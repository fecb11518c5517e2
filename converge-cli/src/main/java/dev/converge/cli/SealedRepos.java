package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.ShareLink;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/** The sealed state of a local repository, for the commands that use it. */
final class SealedRepos {
  private SealedRepos() {}

  /** The sealed state of the repository {@code repo} in {@code dir}, made if missing. */
  static SealedRepo open(Repo repo, Path dir) {
    return SealedRepo.open(repo, dir, SealedLimits.DEFAULT, new SecureRandom());
  }

  /** The sealed state, or empty if the repository never had any (nothing is created). */
  static Optional<SealedRepo> openExisting(Repo repo, Path dir) {
    return SealedRepo.openExisting(repo, dir, SealedLimits.DEFAULT, new SecureRandom());
  }

  /**
   * The document an {@code automerge:} URL or a {@code converge-sealed:} share link names.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is neither
   */
  static DocumentId documentOf(String urlOrLink) {
    return ShareLink.looksLikeLink(urlOrLink)
        ? ShareLink.parse(urlOrLink).documentId()
        : AutomergeUrl.parse(urlOrLink).documentId();
  }

  /**
   * The sealed state of a repository that has sealed document {@code id}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it has no such sealed document
   */
  static SealedRepo requireSealed(Repo repo, Path dir, DocumentId id) {
    Optional<SealedRepo> sealed = openExisting(repo, dir);
    if (sealed.isPresent() && sealed.get().isSealed(id)) {
      return sealed.get();
    }
    sealed.ifPresent(SealedRepo::close);
    throw new ConvergeException(
        ConvergeException.Kind.INVALID_ARGUMENT,
        "no sealed document "
            + id
            + " in "
            + dir
            + " (make one with 'converge new DIR --sealed'"
            + " or join one with 'converge join DIR LINK')");
  }
}
