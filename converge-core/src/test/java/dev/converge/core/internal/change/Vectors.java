package dev.converge.core.internal.change;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the shared golden data: {@code shared/automerge-vectors} and {@code
 * shared/automerge-fixtures}, made by JS Automerge 3.5.0 (see their READMEs). The {@code shared}
 * folder sits beside the repository, so this walks up from the working directory until a folder
 * holds {@code shared/automerge-vectors}; the system property {@code converge.shared} overrides the
 * search. Small copies of a few vectors live in the test resources under {@code vectors/} so the
 * basic tests run without it.
 */
public final class Vectors {
  private Vectors() {}

  /** The shared folder, if it can be found. */
  public static Optional<Path> shared() {
    String override = System.getProperty("converge.shared");
    if (override != null) {
      return Optional.of(Path.of(override));
    }
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared");
      if (Files.isDirectory(candidate.resolve("automerge-vectors"))) {
        return Optional.of(candidate);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /** The names {@code vec-NNN} of every shared vector, sorted; empty if shared/ is absent. */
  public static List<String> vectorNames() {
    Optional<Path> shared = shared();
    if (shared.isEmpty()) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(shared.get().resolve("automerge-vectors"))) {
      List<String> names = new ArrayList<>();
      files
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".json"))
          .map(name -> name.substring(0, name.length() - ".json".length()))
          .sorted()
          .forEach(names::add);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file of the shared vectors. */
  public static byte[] vectorFile(String name) {
    return read(shared().orElseThrow().resolve("automerge-vectors").resolve(name));
  }

  /** A file of the shared fixtures. */
  public static byte[] fixture(String name) {
    return read(shared().orElseThrow().resolve("automerge-fixtures").resolve(name));
  }

  /** A test resource, such as {@code vectors/vec-000.changes}. */
  public static byte[] resource(String name) {
    try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
