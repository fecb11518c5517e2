package dev.converge.cli;

/**
 * The process exit codes of {@code converge}. Scripts and tests outside the code rely on them, so
 * they never change meaning.
 */
final class ExitCodes {
  /** The command did what was asked. */
  static final int OK = 0;

  /** The input was invalid: a corrupt file, an unsupported format, a limit exceeded. */
  static final int INVALID_INPUT = 1;

  /** The command line itself was wrong: an unknown option, a missing argument. */
  static final int USAGE = 2;

  /** A bug in Converge: an exception it did not throw on purpose. */
  static final int INTERNAL_ERROR = 70;

  private ExitCodes() {}
}
