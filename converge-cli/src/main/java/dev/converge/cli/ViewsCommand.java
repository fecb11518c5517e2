package dev.converge.cli;

import dev.converge.repo.Repo;
import dev.converge.repo.spi.ViewStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge views DIR (list|define|rebuild|drop) ...}: user-defined SQL views. This command
 * only holds DIR; each action is a subcommand of its own class. A view named {@code todos} is the
 * table {@code view_todos}, which {@code converge query} reads.
 */
@Command(
    name = "views",
    mixinStandardHelpOptions = true,
    description = {
      "List, define, rebuild or drop the SQL views of the repository in DIR.",
      "A view named NAME is the table view_NAME: query it with 'converge query DIR \"SELECT * FROM"
          + " view_NAME\"'."
    },
    subcommands = {
      ViewsListCommand.class,
      ViewsDefineCommand.class,
      ViewsRebuildCommand.class,
      ViewsDropCommand.class
    })
final class ViewsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The repository.")
  Path dir;

  /** Without an action there is nothing to do: a usage error, as for the root command. */
  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "Missing an action: list, define, rebuild or drop");
  }

  /** Opens the repository, runs {@code work} on its views, and closes it. */
  <T> T withViews(Function<ViewStore, T> work) {
    try (Repo repo = LocalRepos.open(dir)) {
      return work.apply(LocalRepos.views(repo));
    }
  }
}
