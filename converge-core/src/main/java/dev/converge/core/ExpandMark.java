package dev.converge.core;

/** Whether text typed at a mark's edges joins the mark, as in Automerge and Peritext. */
public enum ExpandMark {
  /** Text inserted right before the start joins the mark. */
  BEFORE,
  /** Text inserted right after the end joins the mark (bold-like). */
  AFTER,
  BOTH,
  /** Neither edge grows (link-like). */
  NONE;

  boolean before() {
    return this == BEFORE || this == BOTH;
  }

  boolean after() {
    return this == AFTER || this == BOTH;
  }

  /** The expand flag stored on the mark's begin anchor. */
  public boolean beginFlag() {
    return before();
  }

  /** The expand flag stored on the mark's end anchor. */
  public boolean endFlag() {
    return after();
  }
}
