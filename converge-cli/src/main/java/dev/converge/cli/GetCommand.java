package dev.converge.cli;

import dev.converge.repo.DocHandle;
import dev.converge.repo.JsonEdits;
import dev.converge.repo.Repo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code converge get DIR URL [PATH]}: prints the document, or the value at PATH, as JSON. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Print a document (or the value at PATH) as JSON.")
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL")
  String url;

  @Parameters(index = "2", paramLabel = "PATH", arity = "0..1")
  String path = "";

  @Override
  public Integer call() {
    try (Repo repo = LocalRepos.open(dir)) {
      DocHandle handle = LocalRepos.find(repo, url);
      String json = handle.toJson();
      spec.commandLine().getOut().println(path.isEmpty() ? json : JsonEdits.get(json, path));
    }
    return ExitCodes.OK;
  }
}
