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
                    : "accepted, heads " + Documents.heads(ours.doc());
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
      }
    }
  }
}
