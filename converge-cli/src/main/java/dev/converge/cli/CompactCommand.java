package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.ShareLink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge compact DIR URL}: replaces a document by a new one holding only its current value
 * ({@link Repo#compact}), prints the new document's URL on one line, and purges the old one from
 * the repository. The old URL keeps leading to the new document ({@code converge get DIR OLD-URL}
 * reads it). A sealed document is refused: its successor would not be sealed. Run again after a
 * crash, it finishes the purge and prints the same URL.
 */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    description =
        "Replace a document by a new one holding only its current value, print the new URL, and"
            + " purge the old one; the old URL leads to the new document.")
final class CompactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL")
  String url;

  @Override
  public Integer call() {
    if (ShareLink.looksLikeLink(url)) {
      throw sealedRefused(ShareLink.parse(url).documentId());
    }
    DocumentId id = AutomergeUrl.parse(url).documentId();
    DocHandle successor;
    try (WritableRepo writable = WritableRepo.open(dir)) {
      requireNotSealed(writable.repo(), id);
      successor = writable.repo().compact(id);
      writable.written();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(successor.url());
    out.flush();
    return ExitCodes.OK;
  }

  private void requireNotSealed(Repo repo, DocumentId id) {
    Optional<SealedRepo> sealed = SealedRepos.openExisting(repo, dir);
    if (sealed.isPresent()) {
      try (SealedRepo state = sealed.get()) {
        if (state.isSealed(id)) {
          throw sealedRefused(id);
        }
      }
    }
  }

  private static ConvergeException sealedRefused(DocumentId id) {
    return new ConvergeException(
        ConvergeException.Kind.INVALID_ARGUMENT,
        "cannot compact sealed document " + id + ": the new document would not be sealed");
  }
}
