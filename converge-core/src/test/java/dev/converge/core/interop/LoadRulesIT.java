package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.converge.core.internal.change.Vectors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converge loads, or refuses, every load-rule fixture as JavaScript Automerge 3.5 does, whose
 * verdict is taken from JavaScript itself at test time, in one long-running Node process.
 *
 * <p>Three sets of files: the fixtures of {@link LoadRuleFixtures} (one per rule, made from small
 * JavaScript documents by one edit each; each also states what JavaScript does with it, so that a
 * fixture that stopped testing its rule fails as such); the shared Automerge fixture files; and
 * every file the differential runs ever found Converge and JavaScript to disagree on ({@code
 * src/test/resources/dev/converge/core/interop/load-disagreements/}), replayed forever. For each,
 * both accept with the same heads and typed value, or both reject, Converge with a {@link
 * dev.converge.core.ConvergeException} of one line. {@code -Dload.rules.dump=DIR} writes every rule
 * fixture to DIR, as it is loaded, for {@link CompareLoads}.
 */
class LoadRulesIT {
  @TempDir static Path directory;
  private static JsLoader js;

  @BeforeAll
  static void start() {
    js = new JsLoader(60_000);
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  @TestFactory
  Stream<DynamicTest> ruleFixtures_convergeAgreesWithJavaScript() {
    RuleBases bases = RuleBases.make(directory.resolve("bases"));
    List<DynamicTest> tests = new ArrayList<>();
    for (LoadRuleFixtures.Fixture fixture : LoadRuleFixtures.all(bases)) {
      tests.add(dynamicTest(fixture.name(), () -> check(fixture)));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> sharedFixturesAndDisagreements_convergeAgreesWithJavaScript()
      throws IOException, URISyntaxException {
    List<Path> files = new ArrayList<>();
    Optional<Path> shared = Vectors.shared();
    if (shared.isPresent()) {
      try (Stream<Path> list = Files.list(shared.get().resolve("automerge-fixtures"))) {
        list.filter(f -> !f.getFileName().toString().endsWith(".json"))
            .filter(f -> !f.getFileName().toString().endsWith(".md"))
            .filter(Files::isRegularFile)
            .forEach(files::add);
      }
    }
    Path found = Path.of(LoadRulesIT.class.getResource("load-disagreements").toURI());
    try (Stream<Path> list = Files.list(found)) {
      list.filter(f -> !f.getFileName().toString().endsWith(".md")).forEach(files::add);
    }
    return files.stream()
        .sorted()
        .map(file -> dynamicTest(file.getFileName().toString(), () -> checkFile(file)));
  }

  private static void check(LoadRuleFixtures.Fixture fixture) throws IOException {
    byte[] bytes = fixture.bytes();
    if (fixture.rebuildHeads()) {
      List<String> heads = js.uncheckedHeads(bytes);
      if (!heads.isEmpty()) {
        bytes = ChunkSurgery.withHeads(bytes, heads);
      }
    }
    String dump = System.getProperty("load.rules.dump");
    if (dump != null) {
      Files.createDirectories(Path.of(dump));
      Files.write(Path.of(dump, fixture.name() + ".automerge"), bytes);
    }
    JsLoader.Verdict verdict = js.load(bytes);
    assertEquals(
        fixture.js() == LoadRuleFixtures.Js.ACCEPTS,
        verdict.accepted(),
        fixture.name()
            + " (\""
            + fixture.rule()
            + "\") says JavaScript "
            + fixture.js()
            + " it, but JavaScript "
            + verdict);
    agree(fixture.name(), bytes, verdict);
  }

  private static void checkFile(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    agree(file.getFileName().toString(), bytes, js.load(bytes));
  }

  private static void agree(String name, byte[] bytes, JsLoader.Verdict verdict) {
    Optional<String> difference = LoadDifferential.disagreement(bytes, verdict);
    assertEquals(Optional.empty(), difference, name);
  }
}
