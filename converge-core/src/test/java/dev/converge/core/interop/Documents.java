package dev.converge.core.interop;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Small helpers shared by the interop tests: heads as hex, file reading, byte differences. */
final class Documents {
  private Documents() {}

  /** The document's heads as lowercase hex, sorted, as {@code inspect.mjs} prints them. */
  static List<String> heads(Document doc) {
    return doc.heads().stream().map(ChangeHash::toHex).sorted().toList();
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Null when the arrays are equal, otherwise where they first differ, for a failure message:
   * {@code "lengths 612 and 615, first difference at byte 38: 0x1f expected, 0x20 found"}.
   */
  static @Nullable String firstDifference(byte[] expected, byte[] actual) {
    int common = Math.min(expected.length, actual.length);
    for (int i = 0; i < common; i++) {
      if (expected[i] != actual[i]) {
        return String.format(
            "lengths %d and %d, first difference at byte %d: 0x%02x expected, 0x%02x found",
            expected.length, actual.length, i, expected[i] & 0xff, actual[i] & 0xff);
      }
    }
    if (expected.length != actual.length) {
      return String.format(
          "lengths %d and %d, equal up to byte %d", expected.length, actual.length, common);
    }
    return null;
  }
}
