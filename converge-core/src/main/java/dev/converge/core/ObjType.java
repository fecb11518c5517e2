package dev.converge.core;

/** The kinds of object a document holds. A table is Automerge's legacy map variant. */
public enum ObjType {
  MAP,
  LIST,
  TEXT,
  TABLE;

  /** True for list and text, whose elements are ordered by the sequence CRDT. */
  public boolean isSequence() {
    return this == LIST || this == TEXT;
  }

  /** The action that creates an object of this type. */
  public Action makeAction() {
    switch (this) {
      case MAP:
        return Action.MAKE_MAP;
      case LIST:
        return Action.MAKE_LIST;
      case TEXT:
        return Action.MAKE_TEXT;
      case TABLE:
        return Action.MAKE_TABLE;
      default:
        throw new AssertionError(this);
    }
  }
}
