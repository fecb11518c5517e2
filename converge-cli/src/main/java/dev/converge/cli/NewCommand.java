package dev.converge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.repo.DocHandle;
import dev.converge.repo.JsonEdits;
import dev.converge.repo.sealed.SealedRepo;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge new DIR [--sealed] [JSON]}: creates a document, filled from a JSON object if one
 * is given, and prints its {@code automerge:} URL once it is durable; with {@code --sealed}, a
 * sealed document (this device its first member) and its share link instead.
 */
@Command(
    name = "new",
    mixinStandardHelpOptions = true,
    description =
        "Create a document, filled from a JSON object if one is given, and print its URL (with"
            + " --sealed: an end-to-end encrypted document, and its share link).")
final class NewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  /** Null when not given; given but empty is an error, as for {@code put}. */
  @Parameters(index = "1", paramLabel = "JSON", arity = "0..1")
  @Nullable String json;

  @Option(
      names = "--sealed",
      description =
          "Seal the document: it leaves this device only encrypted and signed; print the share"
              + " link (converge-sealed:ID#SECRET) that lets another device join it.")
  boolean sealed;

  @Override
  public Integer call() {
    // Checked in full before the repository is opened: a refused value leaves no document behind.
    String given = json;
    Optional<JsonNode> value =
        given == null ? Optional.empty() : Optional.of(JsonEdits.parseDocument(given));
    try (WritableRepo writable = WritableRepo.open(dir)) {
      DocHandle handle = writable.repo().create();
      if (sealed) {
        // Sealed before it holds anything: the member log and keys are committed to sealed.sqlite
        // while the document is still empty, so no crash or failure can leave its content in the
        // repository as a plaintext document, which the next sync would send in the clear.
        try (SealedRepo sealedRepo = SealedRepos.open(writable.repo(), dir)) {
          String link = sealedRepo.seal(handle).toText();
          fill(handle, value);
          writable.written();
          spec.commandLine().getOut().println(link);
        }
      } else {
        fill(handle, value);
        writable.written();
        spec.commandLine().getOut().println(handle.url());
      }
    }
    return ExitCodes.OK;
  }

  private static void fill(DocHandle handle, Optional<JsonNode> value) {
    value.ifPresent(fields -> handle.change(tx -> JsonEdits.apply(tx, "", fields)));
    RepoFutures.join(handle.whenDurable());
  }
}
