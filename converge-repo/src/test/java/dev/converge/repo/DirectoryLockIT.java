package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.spi.StoreInUseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 8: one repository directory is opened by one process at a time. Before, a second
 * process (a CLI write beside a running server, or a second server) opened it too, and the first
 * never saw its changes.
 *
 * <p>How: a child JVM ({@link LockHolder}) opens the repository and says so; this JVM's open must
 * then fail with {@link StoreInUseException}, leaving the store as it was, and succeed once the
 * child closed it, or once the child was killed with SIGKILL (the OS drops a dead process's locks).
 */
class DirectoryLockIT {
  @TempDir Path dir;

  @Test
  void open_whileAnotherProcessHoldsIt_isRefused_thenWorksAfterItCloses() throws Exception {
    Process child = startHolder();
    try {
      StoreInUseException thrown = assertThrows(StoreInUseException.class, () -> Repo.open(dir));
      assertTrue(
          String.valueOf(thrown.getMessage()).contains("in use by another process"),
          thrown.getMessage());
      assertEquals(1, String.valueOf(thrown.getMessage()).lines().count());
    } finally {
      child.getOutputStream().close();
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the holder did not exit");
    assertEquals(0, child.exitValue());
    try (Repo repo = Repo.open(dir)) {
      assertEquals(1, repo.list().size());
    }
  }

  @Test
  void open_afterTheHolderWasKilled_works() throws Exception {
    Process child = startHolder();
    child.destroyForcibly();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the holder did not die");
    try (Repo repo = Repo.open(dir)) {
      assertEquals(1, repo.list().size());
    }
  }

  @Test
  void open_twiceInOneProcess_isRefused() {
    try (Repo first = Repo.open(dir)) {
      assertThrows(StoreInUseException.class, () -> Repo.open(dir));
      assertTrue(first.list().isEmpty());
    }
    Repo.open(dir).close();
  }

  private Process startHolder() throws IOException {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = lines.readLine();
    if (!"OPEN".equals(line)) {
      child.destroyForcibly();
      throw new AssertionError("the holder said " + line + " instead of OPEN");
    }
    return child;
  }
}
