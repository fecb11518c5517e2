package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 harness: no acknowledged change is lost to a process crash. A child JVM ({@link
 * CrashAppender}) appends changes with four threads and prints each one after it was acknowledged;
 * this test kills it with SIGKILL ({@code destroyForcibly} on its PID) at a seeded random moment,
 * reopens the repository and checks: every acknowledged change is in the log (verified against its
 * hash), the views equal a rebuild from the log, and {@code PRAGMA integrity_check} is ok. Then it
 * goes again on the same store, {@code crash.kills} times (20 by default).
 *
 * <p>Replay a failure with {@code -Dcrash.seed=S}; run the long version with {@code
 * -Dcrash.kills=1000 -Dcrash.killsPerStore=50} (README, "Long runs"): every check reads the whole
 * log and rebuilds every view, so the long run starts a fresh store every {@code
 * crash.killsPerStore} kills (all kills on one store by default) to keep each check bounded.
 */
class RepoCrashIT {
  @TempDir Path dir;

  @Test
  void kill9_atRandomMoments_losesNoAcknowledgedChange() throws Exception {
    long seed = Long.getLong("crash.seed", 20251129L);
    int kills = Integer.getInteger("crash.kills", 20);
    int killsPerStore = Integer.getInteger("crash.killsPerStore", kills);
    SplittableRandom random = new SplittableRandom(seed);
    Path repoDir = dir.resolve("repo");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    long acknowledgedTotal = 0;
    for (int kill = 0; kill < kills; kill++) {
      if (kill % killsPerStore == 0) {
        acknowledgedTotal += acknowledged.size();
        acknowledged.clear();
        repoDir = dir.resolve("repo-" + kill);
        try (Repo repo = Repo.open(repoDir)) {
          repo.views()
              .orElseThrow()
              .defineView(
                  new ViewDefinition(
                      "entries", "$.n", Optional.empty(), Map.of("n", "$.n", "w", "$.writer")));
        }
      }
      CrashChild.runAndKill(
          CrashAppender.class,
          "256m",
          repoDir,
          List.of(Long.toString(random.nextLong())),
          50 + random.nextInt(1500),
          line -> {
            if (!line.startsWith("ACK ")) {
              return false;
            }
            acknowledged.add(line.substring(4));
            return true;
          },
          "seed " + seed + ", kill " + kill);
      try (Repo repo = Repo.open(repoDir)) {
        Set<String> logged = new HashSet<>();
        long after = 0;
        List<LogRecord> page = repo.changes().read(after, 10_000);
        while (!page.isEmpty()) {
          for (LogRecord record : page) {
            logged.add(record.documentId() + " " + record.hash());
          }
          after = page.get(page.size() - 1).offset();
          page = repo.changes().read(after, 10_000);
        }
        for (String ack : acknowledged) {
          assertTrue(logged.contains(ack), "seed " + seed + ", kill " + kill + ": lost " + ack);
        }
        ViewStore views = repo.views().orElseThrow();
        assertEquals(
            "ok",
            views
                .query("SELECT * FROM pragma_integrity_check", 10)
                .get(0)
                .values()
                .iterator()
                .next());
        List<Map<String, Object>> documents = rows(views, "SELECT * FROM documents ORDER BY id");
        List<Map<String, Object>> entries =
            rows(views, "SELECT * FROM view_entries ORDER BY doc_id");
        List<Map<String, Object>> fts =
            rows(views, "SELECT * FROM documents_fts ORDER BY doc, path");
        views.rebuildViews();
        assertEquals(documents, rows(views, "SELECT * FROM documents ORDER BY id"), "seed " + seed);
        assertEquals(entries, rows(views, "SELECT * FROM view_entries ORDER BY doc_id"));
        assertEquals(fts, rows(views, "SELECT * FROM documents_fts ORDER BY doc, path"));
      }
      if ((kill + 1) % 10 == 0) {
        System.out.printf(
            "RepoCrashIT: seed %d, kill %d of %d checked, %d acknowledged on this store, none"
                + " lost%n",
            seed, kill + 1, kills, acknowledged.size());
      }
    }
    acknowledgedTotal += acknowledged.size();
    assertTrue(acknowledgedTotal > kills, "too few acknowledged changes: " + acknowledgedTotal);
    System.out.printf(
        "RepoCrashIT: seed %d, %d kills, %d acknowledged changes, none lost%n",
        seed, kills, acknowledgedTotal);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(ViewStore views, String sql) {
    return (List<Map<String, Object>>) (List<?>) views.query(sql, 1_000_000);
  }
}
