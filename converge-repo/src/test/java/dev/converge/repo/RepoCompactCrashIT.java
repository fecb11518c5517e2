package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 during compactions. A child JVM ({@link CrashCompactor}) creates documents whose history
 * holds a canary and compacts each one, printing when each creation is durable and when each
 * compaction returned; this test kills it with SIGKILL at a seeded random moment, reopens the
 * repository and checks that no value was lost: a document not yet linked is whole; a linked one
 * has its successor stored with the value (the old one must never be purged before that), whether
 * the old one was purged yet or not; every compaction that returned has its old document purged.
 * Compacting each linked document again finishes what the kill interrupted, after which the canary
 * of every compacted document is in no file. Then it goes again on the same store, {@code
 * compactCrash.kills} times (6 by default).
 *
 * <p>Replay a failure with {@code -DcompactCrash.seed=S}.
 */
class RepoCompactCrashIT {
  @TempDir Path dir;

  @Test
  void kill9_duringCompactions_noValueLostAndOldPurgedOnceLinked() throws Exception {
    long seed = Long.getLong("compactCrash.seed", 20261207L);
    int kills = Integer.getInteger("compactCrash.kills", 6);
    SplittableRandom random = new SplittableRandom(seed);
    Path repoDir = dir.resolve("repo");
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, String> compacted = new ConcurrentHashMap<>();
    long next = 0;
    int linkedNotPurged = 0;
    for (int kill = 0; kill < kills; kill++) {
      runAndKill(repoDir, random.nextLong(), next, random.nextInt(1500), created, compacted);
      next += 100_000;
      try (Repo repo = Repo.open(repoDir)) {
        for (Map.Entry<String, Long> entry : created.entrySet()) {
          DocumentId id = DocumentId.parse(entry.getKey());
          String context = "seed " + seed + ", kill " + kill + ", document " + id;
          String value = "\"value\":\"" + CrashCompactor.value(entry.getValue()) + "\"";
          Optional<dev.converge.repo.spi.Forward> forward = repo.forwardOf(id);
          if (forward.isEmpty()) {
            assertTrue(!compacted.containsKey(entry.getKey()), context + ": returned, no link");
            assertTrue(repo.find(id).orElseThrow().toJson().contains(value), context);
            repo.compact(id);
          } else {
            DocumentId successor = DocumentId.parse(forward.get().successorId());
            assertTrue(
                repo.find(successor).orElseThrow().toJson().contains(value),
                context + ": linked but the successor lacks the value");
            if (!repo.isPurged(id)) {
              assertTrue(
                  !compacted.containsKey(entry.getKey()), context + ": returned, not purged");
              linkedNotPurged++;
              assertEquals(successor, repo.compact(id).id(), context + ": finishing");
            }
          }
          assertTrue(repo.isPurged(id), context);
        }
        for (Map.Entry<String, Long> entry : created.entrySet()) {
          String canary = CrashCompactor.canary(entry.getValue());
          assertEquals(
              Map.of(),
              CanaryScan.occurrences(repoDir, canary),
              "seed " + seed + ", kill " + kill + ": canary of " + entry.getKey());
        }
      }
    }
    assertTrue(compacted.size() >= kills, "too few compactions returned: " + compacted.size());
    System.out.printf(
        "RepoCompactCrashIT: seed %d, %d kills, %d documents, %d compactions returned, %d linked"
            + " but not yet purged at a kill, no value lost, no canary left%n",
        seed, kills, created.size(), compacted.size(), linkedNotPurged);
  }

  private static String childErrors(Path repoDir) {
    try {
      return java.nio.file.Files.readString(repoDir.resolveSibling("child.err"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void runAndKill(
      Path repoDir,
      long childSeed,
      long first,
      int delayMillis,
      Map<String, Long> created,
      Map<String, String> compacted)
      throws IOException, InterruptedException {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.sqlite.tmpdir=" + repoDir.getParent(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashCompactor.class.getName(),
                repoDir.toString(),
                Long.toString(childSeed),
                Long.toString(first))
            .redirectError(repoDir.resolveSibling("child.err").toFile())
            .start();
    CountDownLatch firstCompaction = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  String[] words = line.split(" ", -1);
                  if (words[0].equals("CREATED")) {
                    created.put(words[1], Long.parseLong(words[2]));
                  } else if (words[0].equals("COMPACTED")) {
                    compacted.put(words[1], words[2]);
                    firstCompaction.countDown();
                  }
                }
              } catch (IOException e) {
                // The pipe breaks when the child is killed; what was read before counts.
              }
            });
    reader.start();
    assertTrue(
        firstCompaction.await(60, TimeUnit.SECONDS),
        () -> "the child compacted nothing: " + childErrors(repoDir));
    Thread.sleep(delayMillis);
    ProcessHandle.of(child.pid()).orElseThrow().destroyForcibly();
    child.waitFor();
    reader.join();
  }
}
