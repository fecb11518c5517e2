package dev.converge.core;

import java.util.Objects;

/**
 * A formatting span over text: {@code name} has {@code value} on the characters from {@code start}
 * (inclusive) to {@code end} (exclusive), counted in the {@link TextUnit} of the reader or patch
 * that made it.
 */
public record Mark(String name, ScalarValue value, int start, int end) {
  public Mark {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad mark range " + start + ".." + end);
    }
  }
}
