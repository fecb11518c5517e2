package dev.converge.cli;

import dev.converge.repo.Repo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code converge export DIR URL OUT.automerge}: writes the document as Automerge saves it. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Save a document to an .automerge file.")
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL")
  String url;

  @Parameters(index = "2", paramLabel = "OUT")
  Path out;

  @Override
  public Integer call() {
    byte[] bytes;
    try (Repo repo = LocalRepos.open(dir)) {
      bytes = LocalRepos.find(repo, url).save();
    }
    DocumentFiles.write(out, bytes);
    return ExitCodes.OK;
  }
}
