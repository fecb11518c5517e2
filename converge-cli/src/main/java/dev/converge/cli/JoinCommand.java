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
 * content comes with the next {@code converge sync}) and prints its {@code automerge:} URL.
 */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    description = {
      "Add the sealed document of a share link (converge-sealed:ID#SECRET) to the repository and"
          + " print its URL.",
      "Its content arrives with the next 'converge sync'; this device becomes a member then."
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
      DocHandle handle = sealed.join(parsed);
      spec.commandLine().getOut().println(handle.url());
    }
    return ExitCodes.OK;
  }
}
