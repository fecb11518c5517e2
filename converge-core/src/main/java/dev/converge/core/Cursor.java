package dev.converge.core;

import java.util.Objects;

/**
 * A stable position in a list or text: it names an element, not an index, so it keeps pointing at
 * the same place while others insert and delete around it. If its element is deleted, the cursor
 * resolves to where that element was.
 */
public record Cursor(ObjId obj, ElemId elem) {
  public Cursor {
    Objects.requireNonNull(obj, "obj");
    Objects.requireNonNull(elem, "elem");
  }
}
