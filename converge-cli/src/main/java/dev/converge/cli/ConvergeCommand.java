package dev.converge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The root {@code converge} command. It only wires the subcommands, one class each: to add one,
 * write the class and list it in {@code subcommands} below.
 *
 * <p>Exit codes are those of {@link ExitCodes}: 0 when the command did what was asked, 1 for
 * invalid input ({@link dev.converge.core.ConvergeException}, reported on one line by {@link
 * ConvergeExceptionHandler}), 2 for a usage error.
 */
@Command(
    name = "converge",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A local-first database, byte-compatible with Automerge.",
    subcommands = {
      HelpCommand.class,
      BenchTraceCommand.class,
      CatCommand.class,
      HeadsCommand.class,
      SaveCommand.class,
      ChangesCommand.class,
    })
public final class ConvergeCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Runs {@code converge} with {@code args} and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A command line for {@code converge}, with Converge's exit codes and error reporting. */
  static CommandLine newCommandLine() {
    return new CommandLine(new ConvergeCommand())
        .setExecutionExceptionHandler(new ConvergeExceptionHandler());
  }

  /** Without a subcommand there is nothing to do: that is a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command; see 'converge --help'.");
  }
}
