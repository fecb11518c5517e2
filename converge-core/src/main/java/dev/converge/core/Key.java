package dev.converge.core;

import java.util.Objects;

/** Where in its object an op acts: a map property or a sequence element. */
public sealed interface Key permits Key.Prop, Key.Elem {

  static Key prop(String name) {
    return new Prop(name);
  }

  static Key elem(ElemId elemId) {
    return new Elem(elemId);
  }

  /** A map key. */
  record Prop(String name) implements Key {
    public Prop {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A list or text element; for an insert, the element after which the new one goes. */
  record Elem(ElemId elemId) implements Key {
    public Elem {
      Objects.requireNonNull(elemId, "elemId");
    }
  }
}
