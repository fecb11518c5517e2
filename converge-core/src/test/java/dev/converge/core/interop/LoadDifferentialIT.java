package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of JavaScript-made files, loaded by Converge and by JavaScript Automerge 3.5 in
 * a long-running Node process: both must accept or both reject, and what both accept must have the
 * same heads and value.
 *
 * <p>How: {@code gen.mjs} makes the starting documents (saved whole without compression, and as a
 * save followed by change chunks). Each try draws one to four edits from a {@link SplittableRandom}
 * seeded with {@code differential.seed} plus the try number, then recomputes the chunk checksums
 * and, three times in four, writes into a document chunk the heads that its changes really give
 * (asked of JavaScript with {@code unchecked: true}), so that edits reach the checks behind the
 * checksum and the heads. Every disagreement is written to {@code target/load-differential/} and
 * fails the test with its try number; {@code -Ddifferential.seed=S -Ddifferential.tries=N} replays
 * or extends a run.
 */
class LoadDifferentialIT {
  private static final long SEED = Long.getLong("differential.seed", 1);
  private static final int TRIES = Integer.getInteger("differential.tries", 300);
  private static final int GENERATED = 12;

  @TempDir static Path directory;

  @Test
  void mutatedFiles_convergeAgreesWithJavaScript() throws IOException {
    List<byte[]> seeds = seeds();
    Path findings = Path.of("target", "load-differential");
    Files.createDirectories(findings);
    List<String> disagreements = new ArrayList<>();
    int rejected = 0;
    int timedOut = 0;
    try (JsLoader js = new JsLoader(20_000)) {
      for (int attempt = 0; attempt < TRIES; attempt++) {
        SplittableRandom random = new SplittableRandom(SEED * 1_000_003L + attempt);
        byte[] start = seeds.get(random.nextInt(seeds.size()));
        byte[] mutated =
            random.nextInt(4) == 0
                ? FileMutator.mutate(start, seeds, random)
                : StructuredMutator.mutate(start, random);
        byte[] file = ChunkSurgery.withValidChecksums(mutated);
        if (random.nextInt(4) != 0) {
          List<String> heads = js.uncheckedHeads(file);
          if (!heads.isEmpty()) {
            file = ChunkSurgery.withHeads(file, heads);
          }
        }
        JsLoader.Verdict verdict = js.load(file);
        if (!verdict.accepted()) {
          rejected++;
        }
        if (verdict.kind() == JsLoader.Verdict.Kind.TIMED_OUT
            || verdict.kind() == JsLoader.Verdict.Kind.DIED) {
          timedOut++;
          Files.write(
              findings.resolve("no-verdict-" + SEED + "-try-" + attempt + ".automerge"), file);
        }
        Optional<String> difference = LoadDifferential.disagreement(file, verdict);
        if (difference.isPresent()) {
          String name = "seed-" + SEED + "-try-" + attempt;
          Files.write(findings.resolve(name + ".automerge"), file);
          disagreements.add(name + ": " + difference.get());
        }
      }
    }
    System.out.printf(
        "load differential: seed %d, %d tries, %d rejected by JavaScript, %d without verdict,"
            + " %d disagreements%n",
        SEED, TRIES, rejected, timedOut, disagreements.size());
    assertTrue(
        disagreements.isEmpty(),
        disagreements.size() + " disagreements:\n" + String.join("\n", disagreements));
  }

  private static List<byte[]> seeds() throws IOException {
    Path out = directory.resolve("generated");
    NodeScripts.run(
        "gen.mjs",
        List.of(
            "--seed",
            Long.toString(SEED),
            "--count",
            Integer.toString(GENERATED),
            "--out",
            out.toString()));
    List<byte[]> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      files
          .filter(
              f ->
                  f.toString().endsWith(".nodeflate.automerge")
                      || f.toString().endsWith(".chunks.automerge"))
          .sorted()
          .forEach(f -> seeds.add(Documents.read(f)));
    }
    return seeds;
  }
}
