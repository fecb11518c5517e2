package dev.converge.core;

/** How two versions (sets of heads) of a document relate. */
public enum Causality {
  /** The first has seen strictly less than the second. */
  BEFORE,
  /** The first has seen strictly more than the second. */
  AFTER,
  EQUAL,
  /** Each has seen changes the other has not. */
  CONCURRENT
}
