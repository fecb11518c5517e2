package dev.converge.cli;

import dev.converge.repo.Repo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code converge init DIR}: creates an empty repository in DIR (or opens an existing one). */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create a repository in DIR.")
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() {
    Repo.open(dir).close();
    spec.commandLine().getOut().println("initialised " + dir.toAbsolutePath());
    return ExitCodes.OK;
  }
}
