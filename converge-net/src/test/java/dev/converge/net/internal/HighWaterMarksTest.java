package dev.converge.net.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HighWaterMarksTest {
  @Test
  void advance_acceptsOnlyNumbersAboveTheSourcesMark() {
    HighWaterMarks marks = new HighWaterMarks(8);
    assertTrue(marks.advance("a", 5));
    assertFalse(marks.advance("a", 5));
    assertFalse(marks.advance("a", 4));
    assertTrue(marks.advance("b", 1), "sources have their own marks");
    assertTrue(marks.advance("a", 6));
  }

  @Test
  void advance_forgetsTheLeastRecentlyUsedSourceBeyondCapacity() {
    HighWaterMarks marks = new HighWaterMarks(2);
    marks.advance("a", 10);
    marks.advance("b", 10);
    assertFalse(marks.advance("a", 10), "a is used again, so b is now the eldest");
    marks.advance("c", 10);
    assertTrue(marks.advance("b", 10), "b was forgotten: its number counts as new");
    assertFalse(marks.advance("c", 10));
  }

  @Test
  void capacity_mustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new HighWaterMarks(0));
  }
}
