package dev.converge.bench.repo;

import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sqlite.IfMissing;
import dev.converge.repo.sqlite.SqliteStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Generates a large repository once: real changes from the engine, appended through the store
 * directly, many documents per group commit, then the views brought up to date so the repository is
 * in the state a long-running one would be in. A marker file names the sizes, so a second run with
 * the same sizes reuses it.
 */
final class BigRepos {
  private static final String MARKER = "generated.txt";
  private static final int APPENDS_IN_FLIGHT = 500;

  private BigRepos() {}

  /**
   * A repository in {@code dir} of {@code documents} documents holding {@code changes} changes in
   * all, every document a {@code kind}, a number {@code n}, a text {@code title} and a counter of
   * edits; returns its document IDs in creation order.
   */
  static List<DocumentId> generate(Path dir, int documents, long changes) throws IOException {
    String sizes = documents + " documents, " + changes + " changes";
    Path marker = dir.resolve(MARKER);
    SplittableRandom random = new SplittableRandom(42);
    List<DocumentId> ids = new ArrayList<>(documents);
    for (int d = 0; d < documents; d++) {
      ids.add(DocumentId.random(random));
    }
    if (Files.isRegularFile(marker)
        && Files.readString(marker, StandardCharsets.UTF_8).equals(sizes)) {
      return ids;
    }
    RepoBench.deleteRecursively(dir);
    long start = System.nanoTime();
    try (SqliteStorage storage =
        SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT)) {
      List<CompletableFuture<Long>> pending = new ArrayList<>();
      for (int d = 0; d < documents; d++) {
        long perDocument = changes / documents + (d < changes % documents ? 1 : 0);
        pending.add(storage.append(ids.get(d).toString(), changesOf(d, perDocument)));
        if (pending.size() >= APPENDS_IN_FLIGHT) {
          pending.forEach(CompletableFuture::join);
          pending.clear();
        }
        if ((d + 1) % 10_000 == 0) {
          System.err.printf(Locale.ROOT, "generated %d of %d documents%n", d + 1, documents);
        }
      }
      pending.forEach(CompletableFuture::join);
      long appended = System.nanoTime();
      storage.catchUpViews();
      System.err.printf(
          Locale.ROOT,
          "generated %s in %.1f s (views %.1f s)%n",
          sizes,
          (System.nanoTime() - start) / 1e9,
          (System.nanoTime() - appended) / 1e9);
    }
    Files.writeString(marker, sizes, StandardCharsets.UTF_8);
    return ids;
  }

  private static List<Change> changesOf(int index, long count) {
    Document document = Document.create();
    List<Change> changes = new ArrayList<>((int) count);
    if (count == 0) {
      return changes;
    }
    ObjId[] title = new ObjId[1];
    changes.add(
        document
            .change(
                tx -> {
                  tx.put(ObjId.ROOT, "kind", index % 2 == 0 ? "todo" : "note");
                  tx.put(ObjId.ROOT, "n", index);
                  title[0] = tx.putObject(ObjId.ROOT, "title", ObjType.TEXT);
                  tx.splice(title[0], 0, 0, "document number " + index);
                })
            .orElseThrow());
    for (long i = 1; i < count; i++) {
      long edit = i;
      changes.add(
          document
              .change(
                  tx -> {
                    tx.put(ObjId.ROOT, "edits", edit);
                    if (edit % 10 == 0) {
                      tx.splice(title[0], 0, 0, "x");
                    }
                  })
              .orElseThrow());
    }
    return changes;
  }
}
