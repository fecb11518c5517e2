package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge import DIR FILE... [--into URL]}: stores each Automerge file as a new document,
 * or merges them into the document at URL, and prints one URL per file once they are durable. Every
 * file is read and checked before the repository is touched, so a bad file changes nothing. Many
 * files show a progress bar on a terminal. With {@code --json}, one line per file: {@code
 * {"file":PATH,"url":URL}}.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import Automerge files as new documents (or merge them into --into URL); print a URL"
            + " per file.")
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE")
  List<Path> files = List.of();

  @Option(names = "--into", paramLabel = "URL", description = "Merge into this document.")
  @Nullable String into;

  @Mixin JsonOutput json = new JsonOutput();

  @Override
  public Integer call() {
    List<byte[]> contents = new ArrayList<>(files.size());
    for (Path file : files) {
      byte[] bytes = DocumentFiles.read(file);
      try {
        Document.load(bytes);
      } catch (ConvergeException e) {
        throw new ConvergeException(e.kind(), file + ": " + e.getMessage(), e);
      }
      contents.add(bytes);
    }
    String target = into;
    DocumentId targetId = target == null ? null : AutomergeUrl.parse(target).documentId();
    PrintWriter out = spec.commandLine().getOut();
    ProgressBar progress = ProgressBar.onConsole(spec.commandLine().getErr(), "import");
    try (WritableRepo writable = WritableRepo.open(dir)) {
      Repo repo = writable.repo();
      List<DocHandle> imported = new ArrayList<>(contents.size());
      for (int i = 0; i < contents.size(); i++) {
        imported.add(
            targetId == null
                ? repo.importDocument(contents.get(i))
                : repo.importInto(targetId, contents.get(i)));
        progress.update(i + 1, contents.size());
      }
      for (DocHandle handle : imported) {
        RepoFutures.join(handle.whenDurable());
      }
      writable.written();
      progress.finish();
      for (int i = 0; i < imported.size(); i++) {
        if (json.requested) {
          com.fasterxml.jackson.databind.node.ObjectNode line = JsonOutput.object();
          line.put("file", files.get(i).toString());
          line.put("url", imported.get(i).url().toString());
          JsonOutput.print(out, line);
        } else {
          out.println(imported.get(i).url());
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
