package dev.converge.core;

import java.util.Objects;

/** One step of a path from the root: a map key or a sequence index. */
public sealed interface PathElement permits PathElement.Key, PathElement.Index {

  record Key(String name) implements PathElement {
    public Key {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A list index, or a text index in the document's {@link TextUnit}. */
  record Index(int index) implements PathElement {
    @Override
    public String toString() {
      return Integer.toString(index);
    }
  }
}
