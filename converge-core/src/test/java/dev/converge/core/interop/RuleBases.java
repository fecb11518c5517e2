package dev.converge.core.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The small JavaScript-made documents of {@code interop/rule-bases.mjs}, made once per test run in
 * a temporary directory: {@code map}, {@code list}, {@code text}, {@code concurrent} and {@code
 * forked} (two heads), each as a whole uncompressed document and as its change chunks.
 */
final class RuleBases {
  private final Path directory;

  private RuleBases(Path directory) {
    this.directory = directory;
  }

  /** Runs {@code rule-bases.mjs} into {@code directory}. */
  static RuleBases make(Path directory) {
    NodeScripts.run("rule-bases.mjs", List.of("--out", directory.toString()));
    return new RuleBases(directory);
  }

  /** Base {@code name} saved as one uncompressed document chunk. */
  byte[] document(String name) {
    return read(name + ".doc.automerge");
  }

  /** Base {@code name} as its change chunks, in JavaScript's order. */
  byte[] changes(String name) {
    return read(name + ".changes.automerge");
  }

  private byte[] read(String file) {
    try {
      return Files.readAllBytes(directory.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
