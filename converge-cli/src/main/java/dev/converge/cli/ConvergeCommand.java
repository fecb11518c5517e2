package dev.converge.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.AutoComplete;
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
      BenchSealedCommand.class,
      InitCommand.class,
      NewCommand.class,
      PutCommand.class,
      GetCommand.class,
      LogCommand.class,
      PurgeCommand.class,
      CompactCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      QueryCommand.class,
      ViewsCommand.class,
      CatCommand.class,
      HeadsCommand.class,
      SaveCommand.class,
      ChangesCommand.class,
      SimCommand.class,
      ServeCommand.class,
      BrokerCommand.class,
      UiCommand.class,
      AutoComplete.GenerateCompletion.class,
      SyncCommand.class,
      JoinCommand.class,
      WhoamiCommand.class,
      MembersCommand.class,
    })
public final class ConvergeCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Runs {@code converge} with {@code args} and exits the JVM with its exit code. */
  public static void main(String[] args) {
    // JSON and text are UTF-8 whatever the locale says: under LANG=C the JVM would print '?'.
    CommandLine commandLine =
        newCommandLine()
            .setOut(
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
            .setErr(
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    System.exit(commandLine.execute(args));
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
