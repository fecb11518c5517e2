package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
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
      CrashChild.runCreateAndAct(
          CrashCompactor.class,
          repoDir,
          random.nextLong(),
          next,
          random.nextInt(1500),
          "COMPACTED",
          (id, number) -> created.put(id, Long.parseLong(number)),
          compacted::put,
          "seed " + seed + ", kill " + kill);
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
}
