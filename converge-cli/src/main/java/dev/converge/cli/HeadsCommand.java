package dev.converge.cli;

import dev.converge.core.ChangeHash;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge heads FILE}: the heads of the Automerge document in FILE (the hashes of the
 * changes nothing depends on), lowercase hex, sorted, one per line; nothing for an empty document.
 * With {@code --json}: one JSON array of them. Exit 1 with one line on stderr for an invalid file.
 */
@Command(
    name = "heads",
    mixinStandardHelpOptions = true,
    description = "Print the heads of an Automerge file, lowercase hex, sorted, one per line.")
final class HeadsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "An Automerge file.")
  Path file;

  @Mixin JsonOutput json = new JsonOutput();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    java.util.List<String> heads =
        DocumentFiles.load(file).heads().stream().map(ChangeHash::toHex).sorted().toList();
    if (json.requested) {
      com.fasterxml.jackson.databind.node.ArrayNode array = JsonOutput.array();
      heads.forEach(array::add);
      JsonOutput.print(out, array);
      return ExitCodes.OK;
    }
    heads.forEach(out::println);
    out.flush();
    return ExitCodes.OK;
  }
}
