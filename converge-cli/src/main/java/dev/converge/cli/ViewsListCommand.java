package dev.converge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.repo.spi.ViewDefinition;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code converge views DIR list}: one line per view, tab-separated: name, table, selector (with
 * its value), columns. With {@code --json}: one JSON array of {@code {"name","table","selector",
 * "equals","columns"}} ({@code equals} null without a value, {@code columns} name to path).
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Print each view: name, table, selector and columns, tab-separated.")
final class ViewsListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand ViewsCommand views;

  @Mixin JsonOutput json = new JsonOutput();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<ViewDefinition> definitions = views.withViews(store -> store.viewDefinitions());
    if (json.requested) {
      JsonOutput.print(out, toJson(definitions));
      return ExitCodes.OK;
    }
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

  private static ArrayNode toJson(List<ViewDefinition> definitions) {
    ArrayNode array = JsonOutput.array();
    for (ViewDefinition view : definitions) {
      ObjectNode entry = array.addObject();
      entry.put("name", view.name());
      entry.put("table", view.tableName());
      entry.put("selector", view.selectorPath());
      entry.put("equals", view.selectorEquals().orElse(null));
      ObjectNode columns = entry.putObject("columns");
      for (Map.Entry<String, String> column : view.columns().entrySet()) {
        columns.put(column.getKey(), column.getValue());
      }
    }
    return array;
  }
}
