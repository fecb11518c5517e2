package dev.converge.repo;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The child process of {@link DirectoryLockIT}: opens the repository in {@code args[0]}, prints
 * {@code OPEN}, and holds it until its standard input ends (then closes it and exits 0) or it is
 * killed.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws IOException {
    try (Repo repo = Repo.open(Path.of(args[0]))) {
      repo.create().whenDurable().join();
      System.out.println("OPEN");
      System.out.flush();
      // Hold the repository open until the parent closes our standard input.
      var unused = System.in.readAllBytes();
    }
  }
}
