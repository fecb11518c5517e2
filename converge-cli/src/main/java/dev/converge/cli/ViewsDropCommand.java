package dev.converge.cli;

import dev.converge.core.ConvergeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code converge views DIR drop NAME}: drops a view and its table; an unknown NAME is an error.
 */
@Command(
    name = "drop",
    mixinStandardHelpOptions = true,
    description = "Drop view NAME and its table view_NAME.")
final class ViewsDropCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand ViewsCommand views;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() {
    boolean dropped = views.withViews(store -> store.dropView(name));
    if (!dropped) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, "no view " + CliText.quote(name));
    }
    spec.commandLine().getOut().println("dropped view " + name);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
