package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 during purges. A child JVM ({@link CrashPurger}) creates documents holding a canary and
 * purges each one, printing when each creation is durable and when each purge returned; this test
 * kills it with SIGKILL at a seeded random moment, reopens the repository and checks: every
 * document whose purge returned is gone and remembered as purged; the one in flight is either whole
 * (its value intact) or gone and remembered; the store passes {@code PRAGMA integrity_check}; and
 * the canary of every document that is gone is in no file of the directory (the open finishes a
 * wipe the kill interrupted). Then it goes again on the same store, {@code purgeCrash.kills} times
 * (8 by default).
 *
 * <p>Replay a failure with {@code -DpurgeCrash.seed=S}.
 */
class RepoPurgeCrashIT {
  @TempDir Path dir;

  @Test
  void kill9_duringPurges_documentWholeOrGoneAndWiped() throws Exception {
    long seed = Long.getLong("purgeCrash.seed", 20261207L);
    int kills = Integer.getInteger("purgeCrash.kills", 8);
    SplittableRandom random = new SplittableRandom(seed);
    Path repoDir = dir.resolve("repo");
    Map<String, String> created = new ConcurrentHashMap<>();
    Set<String> purged = ConcurrentHashMap.newKeySet();
    long next = 0;
    int inFlightKept = 0;
    for (int kill = 0; kill < kills; kill++) {
      CrashChild.runCreateAndAct(
          CrashPurger.class,
          repoDir,
          random.nextLong(),
          next,
          random.nextInt(1500),
          "PURGED",
          created::put,
          (id, none) -> purged.add(id),
          "seed " + seed + ", kill " + kill);
      next += 100_000;
      Map<String, String> gone = new LinkedHashMap<>();
      try (Repo repo = Repo.open(repoDir)) {
        for (Map.Entry<String, String> entry : created.entrySet()) {
          DocumentId id = DocumentId.parse(entry.getKey());
          Optional<DocHandle> found = repo.find(id);
          String context = "seed " + seed + ", kill " + kill + ", document " + id;
          if (found.isPresent()) {
            assertTrue(!purged.contains(entry.getKey()), context + ": purged yet still there");
            assertTrue(!repo.isPurged(id), context + ": there and remembered as purged");
            String json = found.get().toJson();
            assertTrue(json.contains("\"secret\":\"" + entry.getValue() + "\""), context + json);
            inFlightKept++;
            repo.purge(id); // so that the next round starts from purged documents only
          } else {
            assertTrue(repo.isPurged(id), context + ": gone but not remembered as purged");
          }
          gone.put(entry.getKey(), entry.getValue());
        }
        assertEquals(
            "ok",
            repo.views()
                .orElseThrow()
                .query("SELECT * FROM pragma_integrity_check", 1)
                .get(0)
                .values()
                .iterator()
                .next());
        for (Map.Entry<String, String> entry : gone.entrySet()) {
          assertEquals(
              Map.of(),
              CanaryScan.occurrences(repoDir, entry.getValue()),
              "seed " + seed + ", kill " + kill + ": canary of " + entry.getKey());
        }
      }
    }
    assertTrue(purged.size() >= kills, "too few purges returned: " + purged.size());
    System.out.printf(
        "RepoPurgeCrashIT: seed %d, %d kills, %d documents created, %d purges returned, %d in"
            + " flight kept whole, no canary left%n",
        seed, kills, created.size(), purged.size(), inFlightKept);
  }
}
