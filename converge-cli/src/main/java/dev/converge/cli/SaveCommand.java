package dev.converge.cli;

import dev.converge.core.Document;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code converge save IN OUT [--no-compress]}: loads IN (a document chunk, change chunks, or both
 * concatenated) and writes a fresh full save to OUT: one document chunk, columns of 256 bytes or
 * more DEFLATE-compressed unless {@code --no-compress}, followed by any changes still waiting for
 * their dependencies. Exit 1 with one line on stderr for an invalid IN or an unwritable OUT.
 */
@Command(
    name = "save",
    mixinStandardHelpOptions = true,
    description = "Load an Automerge file and write a fresh full save of it.")
final class SaveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "An Automerge file.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Where to write the save.")
  Path out;

  @Option(
      names = "--no-compress",
      description = "Write every column uncompressed (Automerge's saveNoCompress).")
  boolean noCompress;

  @Override
  public Integer call() {
    Document doc = DocumentFiles.load(in);
    DocumentFiles.write(out, noCompress ? doc.saveNoCompress() : doc.save());
    return ExitCodes.OK;
  }
}
