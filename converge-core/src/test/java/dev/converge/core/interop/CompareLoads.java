package dev.converge.core.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads each file given with Converge and with JavaScript Automerge and prints, per file, what each
 * did and whether they agree: for looking into a file the differential tests wrote.
 *
 * <pre>
 * java -cp TEST_CLASSPATH dev.converge.core.interop.CompareLoads FILE...
 * </pre>
 */
final class CompareLoads {
  private CompareLoads() {}

  /** The lines around the first difference of the two typed trees, if they differ. */
  private static void printDifference(String theirs, String mine) {
    String[] a = theirs.split("\n", -1);
    String[] b = mine.split("\n", -1);
    int first = 0;
    while (first < Math.min(a.length, b.length) && a[first].equals(b[first])) {
      first++;
    }
    if (first == a.length && first == b.length) {
      return;
    }
    int from = Math.max(0, first - 12);
    System.out.println("  JavaScript's tree from line " + (from + 1) + ":");
    for (int i = from; i < Math.min(a.length, first + 8); i++) {
      System.out.println("    " + a[i]);
    }
    System.out.println("  Converge's:");
    for (int i = from; i < Math.min(b.length, first + 8); i++) {
      System.out.println("    " + b[i]);
    }
  }

  public static void main(String[] args) throws IOException {
    try (JsLoader js = new JsLoader(60_000)) {
      for (String name : args) {
        byte[] bytes = Files.readAllBytes(Path.of(name));
        JsLoader.Verdict verdict = js.load(bytes);
        LoadDifferential.Ours ours = LoadDifferential.loadOurs(bytes);
        String mine =
            ours.crash() != null
                ? "crashed: " + ours.crash()
                : ours.rejection() != null
                    ? "rejected: " + ours.rejection().getMessage()
                    : "accepted, heads " + Documents.heads(ours.loaded());
        System.out.println(name);
        System.out.println("  JavaScript: " + verdict);
        System.out.println("  Converge:   " + mine);
        System.out.println(
            "  "
                + LoadDifferential.disagreement(bytes, verdict)
                    .map(d -> "DISAGREE: " + d)
                    .orElse("agree"));
        if (ours.crash() != null) {
          ours.crash().printStackTrace(System.out);
        }
        if (ours.loaded() != null && verdict.accepted() && verdict.value() != null) {
          printDifference(
              TypedTree.canonical(verdict.value()),
              TypedTree.canonical(TypedTree.of(ours.loaded())));
        }
      }
    }
  }
}
