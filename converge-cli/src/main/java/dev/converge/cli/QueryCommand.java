package dev.converge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.repo.Repo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge query DIR SQL}: runs one read-only SQL statement over the repository's views
 * ({@code documents}, {@code documents_fts}, {@code view_*}) and prints each row as a JSON object.
 * Read-only by construction ({@link dev.converge.repo.spi.ViewStore#query}).
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Run one read-only SQL statement (SELECT, WITH or VALUES); print each row as a JSON line.",
      "Tables: documents (id, heads, value as JSON, log_offset), documents_fts (doc, path, body)"
          + " and view_NAME for each view NAME ('converge views DIR list')."
    })
final class QueryCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "SQL")
  String sql;

  @Option(
      names = "--max-rows",
      defaultValue = "100000",
      description = "At most this many rows, 1 or more (default ${DEFAULT-VALUE}).")
  int rowsMax;

  @Override
  public Integer call() throws Exception {
    if (rowsMax < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-rows must be at least 1, found " + rowsMax);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Repo repo = LocalRepos.open(dir)) {
      for (Map<String, @Nullable Object> row : LocalRepos.views(repo).query(sql, rowsMax)) {
        out.println(JSON.writeValueAsString(row));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
