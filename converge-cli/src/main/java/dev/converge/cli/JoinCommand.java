package dev.converge.cli;

import dev.converge.repo.DocHandle;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.ShareLink;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge join DIR LINK}: adds the sealed document of a share link to the repository (its
 * content comes with the next {@code converge sync}) and prints its {@code automerge:} URL. Joining
 * a document the repository has already changes nothing: it prints the URL all the same, says so on
 * stderr, and exits 0, so that a script may join again safely.
 */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    description = {
      "Add the sealed document of a share link (converge-sealed:ID#SECRET) to the repository and"
          + " print its URL.",
      "Its content arrives with the next 'converge sync'; this device becomes a member then.",
      "Joining a document the repository has already changes nothing: the URL is printed, a note"
          + " goes to stderr, and the exit status is 0."
    })
final class JoinCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "LINK")
  String link;

  @Override
  public Integer call() {
    ShareLink parsed =
        ShareLink.parse(link); // before anything is opened: a bad link changes nothing
    try (WritableRepo writable = WritableRepo.open(dir);
        SealedRepo sealed = SealedRepos.open(writable.repo(), dir)) {
      boolean joined = sealed.isSealed(parsed.documentId());
      DocHandle handle = sealed.join(parsed);
      if (joined) {
        spec.commandLine()
            .getErr()
            .println("converge: " + handle.id() + " is joined already; nothing changed");
      }
      spec.commandLine().getOut().println(handle.url());
    }
    return ExitCodes.OK;
  }
}
