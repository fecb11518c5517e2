package dev.converge.core;

import java.util.List;

/**
 * One visible difference made by a change, in the terms a UI needs: the object's path from the root
 * and what happened there. Applying a listener's patches in order to a copy of the previous value
 * gives the new value, without rereading the document. Text positions and lengths count in the
 * document's {@link TextUnit}.
 */
public sealed interface Patch
    permits Patch.Put,
        Patch.Insert,
        Patch.SpliceText,
        Patch.Delete,
        Patch.DeleteKey,
        Patch.Increment,
        Patch.MarkSpans {

  /** The object acted on. */
  ObjId obj();

  /** The object's path from the root. */
  List<PathElement> path();

  /**
   * The value at a map key or list index is now {@code value}; {@code conflict} when other
   * concurrent values remain there.
   */
  record Put(ObjId obj, List<PathElement> path, PathElement at, Value value, boolean conflict)
      implements Patch {
    public Put {
      path = List.copyOf(path);
    }
  }

  /** List elements inserted at {@code index}. */
  record Insert(ObjId obj, List<PathElement> path, int index, List<Value> values) implements Patch {
    public Insert {
      path = List.copyOf(path);
      values = List.copyOf(values);
    }
  }

  /** Text inserted at {@code index}. */
  record SpliceText(ObjId obj, List<PathElement> path, int index, String text) implements Patch {
    public SpliceText {
      path = List.copyOf(path);
    }
  }

  /** {@code length} list elements or text units removed at {@code index}. */
  record Delete(ObjId obj, List<PathElement> path, int index, int length) implements Patch {
    public Delete {
      path = List.copyOf(path);
    }
  }

  /** A map key removed. */
  record DeleteKey(ObjId obj, List<PathElement> path, String key) implements Patch {
    public DeleteKey {
      path = List.copyOf(path);
    }
  }

  /** The counter at {@code at} grew by {@code by}. */
  record Increment(ObjId obj, List<PathElement> path, PathElement at, long by) implements Patch {
    public Increment {
      path = List.copyOf(path);
    }
  }

  /** Marks now in force on text; a null value clears the mark over that range. */
  record MarkSpans(ObjId obj, List<PathElement> path, List<Mark> marks) implements Patch {
    public MarkSpans {
      path = List.copyOf(path);
      marks = List.copyOf(marks);
    }
  }
}
