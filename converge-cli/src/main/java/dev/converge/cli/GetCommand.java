package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocHandle;
import dev.converge.repo.JsonEdits;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.ShareLink;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge get DIR URL-OR-LINK [PATH]}: prints the document, or the value at PATH, as JSON;
 * a sealed document by its URL or its share link alike (it is plaintext on a member's device).
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description =
        "Print a document (or the value at PATH) as JSON; a sealed one by URL or share link.")
final class GetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL-OR-LINK")
  String url;

  @Parameters(index = "2", paramLabel = "PATH", arity = "0..1")
  String path = "";

  @Override
  public Integer call() {
    try (Repo repo = LocalRepos.open(dir)) {
      DocHandle handle =
          ShareLink.looksLikeLink(url)
              ? joined(repo, ShareLink.parse(url))
              : LocalRepos.find(repo, url);
      String json = handle.toJson();
      spec.commandLine().getOut().println(path.isEmpty() ? json : JsonEdits.get(json, path));
    }
    return ExitCodes.OK;
  }

  private DocHandle joined(Repo repo, ShareLink link) {
    return repo.find(link.documentId())
        .orElseThrow(
            () ->
                new ConvergeException(
                    ConvergeException.Kind.INVALID_ARGUMENT,
                    "no document "
                        + link.documentId()
                        + " in "
                        + dir
                        + " (join it first: 'converge join DIR LINK', then 'converge sync')"));
  }
}
