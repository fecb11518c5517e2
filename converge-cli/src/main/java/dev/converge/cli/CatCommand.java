package dev.converge.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge cat FILE}, a command other tools rely on. Prints the current value of the
 * Automerge document in FILE as JSON on one line ({@link dev.converge.core.Document#toJson()}: maps
 * in Automerge's key order, text as strings, bytes as base64, timestamps as epoch milliseconds).
 * Exit 1 with one line on stderr for an invalid file.
 */
@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    description = "Print the current value of an Automerge file as JSON on one line.")
final class CatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "An Automerge file.")
  Path file;

  @Override
  public Integer call() {
    String json = DocumentFiles.load(file).toJson();
    spec.commandLine().getOut().println(json);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
