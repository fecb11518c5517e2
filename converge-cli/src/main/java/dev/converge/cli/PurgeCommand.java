package dev.converge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.core.ConvergeException;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.Repo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge purge DIR URL}: purges a document from a local repository ({@link Repo#purge}):
 * its changes, snapshot, view rows and search entries are deleted and overwritten in the SQLite
 * file and its WAL, and its ID is remembered so that a later sync cannot bring it back. Prints one
 * JSON line, {@code {"purged":URL,"existed":true}}; {@code existed} is false when the document was
 * purged before (the wipe runs again). A URL the repository never held is an error (exit 1) and
 * changes nothing.
 */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Delete a document and overwrite its bytes in the repository's files; the ID is refused"
            + " from then on.")
final class PurgeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL")
  String url;

  @Override
  public Integer call() {
    AutomergeUrl parsed = AutomergeUrl.parse(url);
    boolean existed;
    try (Repo repo = LocalRepos.open(dir)) {
      if (!repo.list().contains(parsed.documentId()) && !repo.isPurged(parsed.documentId())) {
        throw new ConvergeException(
            ConvergeException.Kind.INVALID_ARGUMENT,
            "no document " + parsed.documentId() + " in " + dir);
      }
      existed = repo.purge(parsed.documentId());
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("purged", AutomergeUrl.of(parsed.documentId()).toString());
    line.put("existed", existed);
    PrintWriter out = spec.commandLine().getOut();
    out.println(line);
    out.flush();
    return ExitCodes.OK;
  }
}
