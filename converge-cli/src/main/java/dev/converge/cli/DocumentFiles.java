package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading and writing Automerge files for the file commands ({@code cat}, {@code heads}, {@code
 * save}, {@code changes}) and for {@code import} and {@code export}. A file that cannot be read or
 * written is invalid input: it becomes a {@link ConvergeException}, reported on one line like a
 * corrupt file.
 */
final class DocumentFiles {
  private DocumentFiles() {}

  /** Loads the document in {@code file}: a document chunk, change chunks, or both. */
  static Document load(Path file) {
    return Document.load(read(file));
  }

  /** The bytes of {@code file}. */
  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot read " + file + ": " + CliText.reason(e),
          e);
    }
  }

  static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot write " + file + ": " + CliText.reason(e),
          e);
    }
  }
}
