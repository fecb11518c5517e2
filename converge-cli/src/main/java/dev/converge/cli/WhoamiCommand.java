package dev.converge.cli;

import dev.converge.repo.Repo;
import dev.converge.repo.sealed.SealedRepo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge whoami DIR}: prints this device's public member key (made on first use), which
 * another member passes to {@code converge members DIR URL add KEY}.
 */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    description =
        "Print this repository's device key, which members of a sealed document add with"
            + " 'converge members DIR URL add KEY'.")
final class WhoamiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() {
    try (Repo repo = LocalRepos.open(dir);
        SealedRepo sealed = SealedRepos.open(repo, dir)) {
      spec.commandLine().getOut().println(sealed.deviceKey().toText());
    }
    return ExitCodes.OK;
  }
}
