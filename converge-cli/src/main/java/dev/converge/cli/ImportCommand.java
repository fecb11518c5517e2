package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge import DIR FILE [--into URL]}: stores an Automerge file as a new document, or
 * merges it into the document at URL, and prints the document's URL once durable.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import an Automerge file as a new document (or merge it into --into URL).")
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "FILE")
  Path file;

  @Option(names = "--into", paramLabel = "URL", description = "Merge into this document.")
  @Nullable String into;

  @Override
  public Integer call() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT, "cannot read " + file + ": " + e, e);
    }
    try (Repo repo = LocalRepos.open(dir)) {
      DocHandle handle =
          into == null
              ? repo.importDocument(bytes)
              : repo.importInto(AutomergeUrl.parse(into).documentId(), bytes);
      RepoFutures.join(handle.whenDurable());
      spec.commandLine().getOut().println(handle.url());
    }
    return ExitCodes.OK;
  }
}
