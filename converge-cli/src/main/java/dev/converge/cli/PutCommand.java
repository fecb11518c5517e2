package dev.converge.cli;

import dev.converge.repo.DocHandle;
import dev.converge.repo.JsonEdits;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code converge put DIR URL PATH JSON}: sets the value at a JSON Pointer path ({@code /a/b/0}) in
 * one change, and returns once it is durable.
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Set the value at PATH (a JSON Pointer such as /todos/0/title) to JSON, in one change.",
      "PATH '' (or /) is the whole document: JSON must be an object, and the document becomes it"
          + " (keys it lacks are deleted). A list index equal to the length, or -, appends."
    })
final class PutCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL")
  String url;

  @Parameters(index = "2", paramLabel = "PATH")
  String path;

  @Parameters(index = "3", paramLabel = "JSON")
  String json;

  @Override
  public Integer call() {
    JsonEdits.parse(json);
    try (WritableRepo writable = WritableRepo.open(dir)) {
      DocHandle handle = LocalRepos.find(writable.repo(), url);
      JsonEdits.put(handle, path, json);
      RepoFutures.join(handle.whenDurable());
      writable.written();
    }
    return ExitCodes.OK;
  }
}
