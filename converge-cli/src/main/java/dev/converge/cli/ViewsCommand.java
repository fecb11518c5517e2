package dev.converge.cli;

import dev.converge.repo.Repo;
import dev.converge.repo.spi.ViewDefinition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge views DIR list}, {@code converge views DIR rebuild} and {@code converge views DIR
 * define NAME --where $.type[=JSON] --column title=$.title ...}: user-defined SQL views. A rebuild
 * shows a progress bar on a terminal.
 */
@Command(
    name = "views",
    mixinStandardHelpOptions = true,
    description = "List, define or rebuild SQL views: views DIR (list|define|rebuild) ...")
final class ViewsCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "ACTION", description = "list, define or rebuild")
  String action;

  @Parameters(index = "2", paramLabel = "NAME", arity = "0..1")
  @Nullable String name;

  @Option(
      names = "--where",
      paramLabel = "PATH[=JSON]",
      description = "Selector, e.g. $.type=\"todo\"")
  @Nullable String where;

  @Option(
      names = "--column",
      paramLabel = "NAME=PATH",
      description = "A column, e.g. title=$.title")
  List<String> columns = List.of();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Repo repo = LocalRepos.open(dir)) {
      switch (action) {
        case "list":
          for (ViewDefinition view : LocalRepos.views(repo).viewDefinitions()) {
            out.println(
                view.name()
                    + "\t"
                    + view.selectorPath()
                    + view.selectorEquals().map(v -> "=" + v).orElse("")
                    + "\t"
                    + view.columns());
          }
          break;
        case "define":
          LocalRepos.views(repo).defineView(definition());
          break;
        case "rebuild":
          ProgressBar progress = ProgressBar.onConsole(spec.commandLine().getErr(), "rebuild");
          LocalRepos.views(repo).rebuildViews(progress::update);
          progress.finish();
          out.println("rebuilt");
          break;
        default:
          throw new ParameterException(
              spec.commandLine(), "ACTION is list, define or rebuild, found '" + action + "'");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private ViewDefinition definition() {
    if (name == null || where == null || columns.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "define needs NAME, --where PATH[=JSON] and at least one --column");
    }
    int equals = where.indexOf('=');
    String selector = equals < 0 ? where : where.substring(0, equals);
    Optional<String> value =
        equals < 0 ? Optional.empty() : Optional.of(where.substring(equals + 1));
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String column : columns) {
      int split = column.indexOf('=');
      if (split < 1) {
        throw new ParameterException(spec.commandLine(), "--column is NAME=PATH, found " + column);
      }
      parsed.put(column.substring(0, split), column.substring(split + 1));
    }
    return new ViewDefinition(name, selector, value, parsed);
  }
}
