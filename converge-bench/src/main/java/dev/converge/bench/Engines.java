package dev.converge.bench;

import dev.converge.bench.automerge.AutomergeJniEngine;
import dev.converge.trace.ConvergeEngine;
import dev.converge.trace.TraceEngine;
import java.util.List;

/** The engines of the side-by-side runs, by name. */
final class Engines {
  static final String CONVERGE = "converge";
  static final String AUTOMERGE_JNI = "automerge-jni";
  static final List<String> ALL = List.of(CONVERGE, AUTOMERGE_JNI);

  private Engines() {}

  /**
   * A new adapter for the engine called {@code name}.
   *
   * @throws IllegalArgumentException if there is no such engine
   */
  static TraceEngine<?, ?> create(String name) {
    return switch (name) {
      case CONVERGE -> new ConvergeEngine();
      case AUTOMERGE_JNI -> new AutomergeJniEngine();
      default ->
          throw new IllegalArgumentException(
              "unknown engine \"" + name + "\"; expected one of " + ALL);
    };
  }
}
