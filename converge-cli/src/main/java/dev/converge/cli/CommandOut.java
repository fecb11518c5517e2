package dev.converge.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a long-running command ({@code serve}, {@code ui}) prints the address it listens on:
 * picocli's output when the command runs under picocli, else standard output in UTF-8 (a command
 * object called directly, as the tests do, has no spec).
 */
final class CommandOut {
  private CommandOut() {}

  /** The writer to print on, flushing at each line. */
  static PrintWriter of(@Nullable CommandSpec spec) {
    return spec == null
        ? new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true)
        : spec.commandLine().getOut();
  }
}
