package dev.converge.core.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A seeded differential run of Converge's loader against JavaScript Automerge 3.5: each try takes a
 * JavaScript-made file, edits it (three times in four {@link StructuredMutator}, else {@link
 * FileMutator}), recomputes its checksums and, three times in four, writes in the heads its changes
 * give (asked of JavaScript), then compares both loaders' verdicts ({@link LoadDifferential}). Try
 * {@code t} of seed {@code s} draws everything from one {@link SplittableRandom} seeded with {@code
 * s * 1000003 + t}, so a try replays alone.
 *
 * <p>The long run, outside the build:
 *
 * <pre>
 * java -cp TEST_CLASSPATH dev.converge.core.interop.DifferentialRun --seed 7 --tries 20000 \
 *     --out target/load-differential
 * </pre>
 */
final class DifferentialRun {
  private static final int GENERATED = 12;

  /** What a run found; {@code disagreements} are one line each, their files in the findings. */
  record Result(
      int tries,
      int rejected,
      int panicked,
      int unreadable,
      int noVerdict,
      List<String> disagreements) {
    @Override
    public String toString() {
      return String.format(
          "%d tries, %d rejected by JavaScript (%d by a panic), %d loaded but unreadable by"
              + " JavaScript, %d without verdict, %d disagreements",
          tries, rejected, panicked, unreadable, noVerdict, disagreements.size());
    }
  }

  private DifferentialRun() {}

  /** The starting files: {@code gen.mjs} documents of {@code seed} and the rule bases. */
  static List<byte[]> seeds(Path directory, long seed) throws IOException {
    Path out = directory.resolve("generated");
    NodeScripts.run(
        "gen.mjs",
        List.of(
            "--seed",
            Long.toString(seed),
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
    RuleBases bases = RuleBases.make(directory.resolve("bases"));
    for (String name : List.of("map", "list", "text", "concurrent", "forked")) {
      seeds.add(bases.document(name));
      seeds.add(bases.changes(name));
    }
    return seeds;
  }

  static Result run(List<byte[]> seeds, long seed, int tries, Path findings) throws IOException {
    Files.createDirectories(findings);
    List<String> disagreements = new ArrayList<>();
    int rejected = 0;
    int panicked = 0;
    int unreadable = 0;
    int noVerdict = 0;
    try (JsLoader js = new JsLoader(20_000)) {
      for (int attempt = 0; attempt < tries; attempt++) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + attempt);
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
        String name = "seed-" + seed + "-try-" + attempt;
        if (!verdict.accepted()) {
          rejected++;
        }
        if (verdict.kind() == JsLoader.Verdict.Kind.PANICKED) {
          panicked++;
        }
        if (verdict.accepted() && verdict.valueError() != null) {
          unreadable++;
          Files.write(findings.resolve("unreadable-" + name + ".automerge"), file);
        }
        if (verdict.kind() == JsLoader.Verdict.Kind.TIMED_OUT
            || verdict.kind() == JsLoader.Verdict.Kind.DIED) {
          noVerdict++;
          Files.write(findings.resolve("no-verdict-" + name + ".automerge"), file);
        }
        Optional<String> difference = LoadDifferential.disagreement(file, verdict);
        if (difference.isPresent()) {
          Files.write(findings.resolve(name + ".automerge"), file);
          disagreements.add(name + ": " + difference.get());
        }
      }
    }
    return new Result(tries, rejected, panicked, unreadable, noVerdict, disagreements);
  }

  public static void main(String[] args) throws IOException {
    long seed = 1;
    int tries = 1000;
    Path out = Path.of("target", "load-differential");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--tries" -> tries = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("converge-differential-");
    Result result = run(seeds(work, seed), seed, tries, out);
    result.disagreements().forEach(System.out::println);
    System.out.println("seed " + seed + ": " + result);
  }
}
