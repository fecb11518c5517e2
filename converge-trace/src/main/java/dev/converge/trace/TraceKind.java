package dev.converge.trace;

/** The two kinds of editing trace: one writer's txns in order, or several writers' with parents. */
public enum TraceKind {
  /** One user; txns in order, each applied to the result of the previous one. */
  SEQUENTIAL,
  /** Several agents; txns in causal order, each made on top of its {@code parents} version. */
  CONCURRENT
}
