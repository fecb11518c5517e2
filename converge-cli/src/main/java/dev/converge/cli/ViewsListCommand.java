package dev.converge.cli;

import dev.converge.repo.spi.ViewDefinition;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code converge views DIR list}: one line per view, tab-separated: name, table, selector (with
 * its value), columns.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Print each view: name, table, selector and columns, tab-separated.")
final class ViewsListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand ViewsCommand views;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<ViewDefinition> definitions = views.withViews(store -> store.viewDefinitions());
    for (ViewDefinition view : definitions) {
      out.println(
          view.name()
              + "\t"
              + view.tableName()
              + "\t"
              + view.selectorPath()
              + view.selectorEquals().map(v -> "=" + v).orElse("")
              + "\t"
              + view.columns());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
