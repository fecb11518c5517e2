package dev.converge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.core.Change;
import dev.converge.repo.Repo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge log DIR URL}: the document's history in causal order, one JSON line per change:
 * {@code {"hash":..,"actor":..,"seq":..,"time":..,"message":..}}.
 */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = "Print a document's changes, one JSON line each.")
final class LogCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL")
  String url;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Repo repo = LocalRepos.open(dir)) {
      for (Change change : LocalRepos.find(repo, url).changes()) {
        ObjectNode line = JSON.createObjectNode();
        line.put("hash", change.hash().toHex());
        line.put("actor", change.actor().toHex());
        line.put("seq", change.seq());
        line.put("time", change.time());
        if (change.message().isPresent()) {
          line.put("message", change.message().get());
        } else {
          line.putNull("message");
        }
        out.println(line);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
