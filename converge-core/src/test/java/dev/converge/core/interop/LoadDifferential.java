package dev.converge.core.interop;

import dev.converge.core.ActorId;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.LoadOptions;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Loads one file with Converge and with JavaScript Automerge and says where they disagree: one
 * accepts what the other rejects, or both accept with different heads or values (the typed tree of
 * {@link TypedTree}, conflicts and marks included). A Converge rejection must also be a {@link
 * ConvergeException} with a one-line message; any other exception is a disagreement too.
 */
final class LoadDifferential {
  private static final ActorId ACTOR = ActorId.fromHex("00c0ffee");

  private LoadDifferential() {}

  /** What Converge did with a file. */
  record Ours(
      @Nullable ConvergeException rejection,
      @Nullable Document doc,
      @Nullable RuntimeException crash) {
    /** The loaded document; only for a load that was neither rejected nor crashed. */
    Document loaded() {
      return Objects.requireNonNull(doc, "no document: the load was rejected or crashed");
    }
  }

  static Ours loadOurs(byte[] bytes) {
    try {
      return new Ours(null, Document.load(bytes, LoadOptions.DEFAULT, ACTOR, () -> 0L), null);
    } catch (ConvergeException e) {
      return new Ours(e, null, null);
    } catch (RuntimeException e) {
      return new Ours(null, null, e);
    }
  }

  /**
   * Empty when Converge agrees with {@code js} on {@code bytes}, else what differs, on one line. A
   * JavaScript timeout or death is no verdict and agrees with anything; a file that JavaScript
   * loads but cannot read back agrees when Converge loads it with the same heads.
   */
  static Optional<String> disagreement(byte[] bytes, JsLoader.Verdict js) {
    if (js.kind() == JsLoader.Verdict.Kind.TIMED_OUT || js.kind() == JsLoader.Verdict.Kind.DIED) {
      return Optional.empty();
    }
    Ours ours = loadOurs(bytes);
    if (ours.crash() != null) {
      return Optional.of("Converge threw " + ours.crash() + "; JavaScript " + js);
    }
    if (ours.rejection() != null) {
      String message = String.valueOf(ours.rejection().getMessage());
      if (message.isBlank() || message.contains("\n") || message.contains("\r")) {
        return Optional.of("Converge's message is not one line: " + message);
      }
      return js.accepted()
          ? Optional.of("Converge rejected (" + message + "); JavaScript " + js)
          : Optional.empty();
    }
    if (!js.accepted()) {
      return Optional.of("Converge accepted; JavaScript " + js);
    }
    List<String> heads = Documents.heads(ours.loaded());
    if (!heads.equals(js.heads())) {
      return Optional.of("heads differ: Converge " + heads + ", JavaScript " + js.heads());
    }
    if (js.valueError() != null) {
      // JavaScript loaded the file but panics reading it back (an assertion inside its op set):
      // both loaders accepted with the same heads, and there is no JavaScript value to compare.
      return Optional.empty();
    }
    String theirs = TypedTree.canonical(js.value());
    String mine = TypedTree.canonical(TypedTree.of(ours.loaded()));
    if (!theirs.equals(mine)) {
      return Optional.of("values differ: " + firstLineDifference(theirs, mine));
    }
    return Optional.empty();
  }

  private static String firstLineDifference(String theirs, String mine) {
    String[] a = theirs.split("\n", -1);
    String[] b = mine.split("\n", -1);
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (!a[i].equals(b[i])) {
        return "line " + (i + 1) + ": JavaScript " + a[i].strip() + ", Converge " + b[i].strip();
      }
    }
    return "JavaScript has " + a.length + " lines, Converge " + b.length;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
