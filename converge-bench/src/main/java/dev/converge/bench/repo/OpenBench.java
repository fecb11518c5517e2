package dev.converge.bench.repo;

import dev.converge.repo.DocumentId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Opening a large repository: generated once ({@link BigRepos}), then opened in a fresh JVM ({@link
 * OpenProbe}) so the figure includes everything a real start pays (class loading, SQLite's native
 * library) except the JVM's own start.
 */
final class OpenBench {
  private OpenBench() {}

  static void run(Path dir, int documents, int changes, int cacheSize) throws Exception {
    Path repoDir = dir.resolve("open-" + documents + "-" + changes);
    List<DocumentId> ids = BigRepos.generate(repoDir, documents, changes);
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                OpenProbe.class.getName(),
                repoDir.toString(),
                ids.get(0).toString(),
                Integer.toString(cacheSize))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        System.out.println(line);
      }
    }
    if (probe.waitFor() != 0) {
      throw new IllegalStateException("the open probe failed with exit code " + probe.exitValue());
    }
  }
}
