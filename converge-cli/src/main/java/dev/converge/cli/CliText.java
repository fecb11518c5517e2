package dev.converge.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Pieces of the one-line messages the commands print: a value from the command line quoted, escaped
 * and truncated, and why a file operation failed, in words rather than as a Java class name.
 */
final class CliText {
  /** Characters of an offending value a message shows at most. */
  static final int VALUE_CHARS_MAX = 80;

  private CliText() {}

  /**
   * {@code value} in single quotes, control characters escaped, cut at {@link #VALUE_CHARS_MAX}.
   */
  static String quote(String value) {
    StringBuilder quoted = new StringBuilder("'");
    int end = Math.min(value.length(), VALUE_CHARS_MAX);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c == '\n') {
        quoted.append("\\n");
      } else if (c == '\r') {
        quoted.append("\\r");
      } else if (c == '\t') {
        quoted.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        quoted.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    quoted.append('\'');
    if (value.length() > end) {
      quoted.append("... (").append(value.length()).append(" characters)");
    }
    return quoted.toString();
  }

  /** Why a file operation failed, e.g. "no such file or directory". */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? "input/output error" : message;
  }
}
