package dev.converge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** The process's resident set size, from {@code /proc/self/status} (Linux only). */
final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ResidentMemory() {}

  /**
   * VmRSS in bytes, or empty where {@code /proc/self/status} does not exist or lacks it.
   *
   * @throws UncheckedIOException if the file exists but cannot be read
   */
  static OptionalLong bytes() {
    if (!Files.isReadable(STATUS)) {
      return OptionalLong.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(STATUS, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + STATUS, e);
    }
    for (String line : lines) {
      if (line.startsWith("VmRSS:")) {
        String kilobytes = line.substring("VmRSS:".length()).replace("kB", "").strip();
        return OptionalLong.of(Long.parseLong(kilobytes) * 1024);
      }
    }
    return OptionalLong.empty();
  }
}
