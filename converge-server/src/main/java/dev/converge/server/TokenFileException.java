package dev.converge.server;

import dev.converge.core.ConvergeException;
import java.nio.file.Path;

/** The token file of {@code converge serve --token-file} cannot be read or is malformed. */
public final class TokenFileException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  TokenFileException(Path file, int line, String problem) {
    super(Kind.INVALID_ARGUMENT, file + ":" + line + ": " + problem);
  }

  TokenFileException(Path file, String problem, Throwable cause) {
    super(Kind.IO, file + ": " + problem, cause);
  }
}
