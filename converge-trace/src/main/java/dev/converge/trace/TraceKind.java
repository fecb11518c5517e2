package dev.converge.trace;

/** The two trace formats of {@code ../shared/traces/README.md}. */
public enum TraceKind {
  /** One user; txns in order, each applied to the result of the previous one. */
  SEQUENTIAL,
  /** Several agents; txns in causal order, each made on top of its {@code parents} version. */
  CONCURRENT
}
