package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.sealed.ShareLink;
import dev.converge.repo.spi.ViewStore;
import dev.converge.repo.sqlite.IfMissing;
import java.nio.file.Path;

/** Opening a local repository and finding a document in it, for the repository commands. */
final class LocalRepos {
  private LocalRepos() {}

  /** The existing repository in {@code dir}; a missing one is an error, not created. */
  static Repo open(Path dir) {
    return Repo.open(dir, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE));
  }

  /**
   * The document an {@code automerge:} URL or a sealed document's share link names; for a compacted
   * document, the one that holds its value now ({@link Repo#resolve}).
   */
  static DocHandle find(Repo repo, String url) {
    AutomergeUrl parsed =
        ShareLink.looksLikeLink(url)
            ? AutomergeUrl.of(ShareLink.parse(url).documentId())
            : AutomergeUrl.parse(url);
    return repo.find(repo.resolve(parsed.documentId()))
        .orElseThrow(
            () ->
                new ConvergeException(
                    ConvergeException.Kind.INVALID_ARGUMENT, "no document " + parsed));
  }

  static ViewStore views(Repo repo) {
    return repo.views()
        .orElseThrow(
            () ->
                new ConvergeException(
                    ConvergeException.Kind.UNSUPPORTED, "this store has no SQL views"));
  }
}
