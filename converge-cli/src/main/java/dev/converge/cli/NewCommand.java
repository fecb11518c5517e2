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

/**
 * {@code converge new DIR [JSON]}: creates a document, filled from a JSON object if one is given,
 * and prints its {@code automerge:} URL once it is durable.
 */
@Command(
    name = "new",
    mixinStandardHelpOptions = true,
    description = "Create a document (optionally from a JSON object) and print its URL.")
final class NewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "JSON", arity = "0..1")
  String json = "";

  @Override
  public Integer call() {
    if (!json.isEmpty()) {
      JsonEdits.parse(json);
    }
    try (Repo repo = LocalRepos.open(dir)) {
      DocHandle handle = repo.create();
      if (!json.isEmpty()) {
        JsonEdits.put(handle, "", json);
      }
      handle.whenDurable().join();
      spec.commandLine().getOut().println(handle.url());
    }
    return ExitCodes.OK;
  }
}
