package dev.converge.cli;

import dev.converge.core.ConvergeException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception thrown by a subcommand into an exit code. A {@link ConvergeException} means
 * the input was bad: it becomes one line, {@code converge: <message>}, on stderr and exit code
 * {@link ExitCodes#INVALID_INPUT}, with no stack trace. Anything else is a bug: its stack trace
 * goes to stderr and the exit code is {@link ExitCodes#INTERNAL_ERROR}.
 */
final class ConvergeExceptionHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (exception instanceof ConvergeException convergeException) {
      err.println("converge: " + oneLine(convergeException));
      err.flush();
      return ExitCodes.INVALID_INPUT;
    }
    exception.printStackTrace(err);
    err.flush();
    return ExitCodes.INTERNAL_ERROR;
  }

  private static String oneLine(ConvergeException exception) {
    String message = exception.getMessage();
    if (message == null || message.isBlank()) {
      return exception.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
