package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading and writing Automerge files for the file commands ({@code cat}, {@code heads}, {@code
 * save}, {@code changes}). A file that cannot be read or written is invalid input: it becomes a
 * {@link ConvergeException}, reported on one line like a corrupt file.
 */
final class DocumentFiles {
  private DocumentFiles() {}

  /** Loads the document in {@code file}: a document chunk, change chunks, or both. */
  static Document load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot read " + file + ": " + CliText.reason(e),
          e);
    }
    return Document.load(bytes);
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
