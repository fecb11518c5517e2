package dev.converge.repo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A byte scan of every regular file under a directory (the SQLite file, its WAL and shared memory,
 * the witness and lock files) for the UTF-8 bytes of a string: what anyone with the files could
 * read back, whatever SQLite thinks is live.
 */
public final class CanaryScan {
  private CanaryScan() {}

  /** The files holding {@code canary}, each with how many times it occurs. */
  public static Map<String, Integer> occurrences(Path directory, String canary) {
    byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
    Map<String, Integer> found = new TreeMap<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        int count = count(Files.readAllBytes(file), needle);
        if (count > 0) {
          found.put(directory.relativize(file).toString(), count);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  static int count(byte[] haystack, byte[] needle) {
    int count = 0;
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      count++;
    }
    return count;
  }
}
