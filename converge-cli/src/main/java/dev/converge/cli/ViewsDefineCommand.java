package dev.converge.cli;

import dev.converge.repo.spi.ViewDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code converge views DIR define NAME --where PATH[=JSON] --column NAME=PATH...}: declares (or
 * redeclares) a view and fills it from the current documents. The definition is checked in full
 * before the repository is opened, so a bad one changes nothing.
 */
@Command(
    name = "define",
    mixinStandardHelpOptions = true,
    description = {
      "Define (or redefine) view NAME, the table view_NAME: one row per document that has a value"
          + " at the --where path (equal to JSON, if given), one column per --column.",
      "Example: define todos --where '$.type=\"todo\"' --column title=$.title --column"
          + " done=$.done"
    })
final class ViewsDefineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand ViewsCommand views;

  @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits and _.")
  String name;

  @Option(
      names = "--where",
      required = true,
      paramLabel = "PATH[=JSON]",
      description =
          "Which documents: a JSON path such as $.type, optionally =JSON such as \"todo\".")
  String where;

  @Option(
      names = "--column",
      required = true,
      paramLabel = "NAME=PATH",
      description = "A column and the JSON path it is read from, e.g. title=$.title; repeatable.")
  List<String> columns = List.of();

  @Override
  public Integer call() {
    ViewDefinition definition = definition();
    views.withViews(
        store -> {
          store.defineView(definition);
          return definition;
        });
    spec.commandLine()
        .getOut()
        .println("defined view " + name + ": query it as table " + definition.tableName());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private ViewDefinition definition() {
    int equals = where.indexOf('=');
    String selector = equals < 0 ? where : where.substring(0, equals);
    Optional<String> value =
        equals < 0 ? Optional.empty() : Optional.of(where.substring(equals + 1));
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String column : columns) {
      int split = column.indexOf('=');
      if (split < 1) {
        throw new ParameterException(
            spec.commandLine(), "--column is NAME=PATH, found " + CliText.quote(column));
      }
      if (parsed.put(column.substring(0, split), column.substring(split + 1)) != null) {
        throw new ParameterException(
            spec.commandLine(), "--column " + column.substring(0, split) + " is given twice");
      }
    }
    return new ViewDefinition(name, selector, value, parsed);
  }
}
