package dev.converge.core.internal.change;

import static dev.converge.core.internal.change.ChangeColumnReader.EXHAUSTED;
import static dev.converge.core.internal.change.ChangeColumnReader.NULL;
import static dev.converge.core.internal.change.ChangeColumnReader.VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.CorruptDataException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Change columns read as JavaScript Automerge reads them: leniently, with 32-bit run lengths. */
class ChangeColumnReaderTest {
  private static ChangeColumnReader reader(String hex, ChangeColumnReader.Kind kind) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    return new ChangeColumnReader(bytes, 0, bytes.length, "c", kind);
  }

  @Test
  void next_overlongLebAndRepeatOfOne_accepted() {
    // A repeat run of 1 (not canonical) whose count and value are overlong.
    ChangeColumnReader column = reader("8100" + "8500", ChangeColumnReader.Kind.UNSIGNED);
    assertEquals(VALUE, column.next());
    assertEquals(5, column.longValue());
    assertEquals(EXHAUSTED, column.next());
    assertTrue(column.isDone());
  }

  @Test
  void next_nullsLiteralsAndRuns_readInRowOrder() {
    // two nulls, a literal of 3 and 4, a run of two 9s
    ChangeColumnReader column =
        reader("0002" + "7e0304" + "0209", ChangeColumnReader.Kind.UNSIGNED);
    int[] expected = {NULL, NULL, VALUE, VALUE, VALUE, VALUE, EXHAUSTED};
    long[] values = {0, 0, 3, 4, 9, 9, 0};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], column.next(), "row " + i);
      if (expected[i] == VALUE) {
        assertEquals(values[i], column.longValue(), "row " + i);
      }
    }
  }

  @Test
  void next_runLengthPast32Bits_takesItsLow32Bits() {
    // A run of 2^32 + 1 reads as a run of 1, as in JavaScript's 32-bit build.
    ChangeColumnReader column =
        reader("8180808080" + "01" + "07", ChangeColumnReader.Kind.UNSIGNED);
    assertEquals(VALUE, column.next());
    assertEquals(7, column.longValue());
    assertEquals(EXHAUSTED, column.next());
  }

  @Test
  void next_lebPast64Bits_refused() {
    ChangeColumnReader column =
        reader("01" + "ffffffffffffffffff02", ChangeColumnReader.Kind.UNSIGNED);
    assertThrows(CorruptDataException.class, column::next);
  }

  @Test
  void next_stringNotUtf8_refused() {
    ChangeColumnReader column = reader("7f01ff", ChangeColumnReader.Kind.STRING);
    assertTrue(
        String.valueOf(assertThrows(CorruptDataException.class, column::next).getMessage())
            .contains("UTF-8"));
  }

  @Test
  void nextBoolean_runsFromFalse_alternate() {
    ChangeColumnReader column = reader("000201", ChangeColumnReader.Kind.UNSIGNED);
    assertEquals(1, column.nextBoolean());
    assertEquals(1, column.nextBoolean());
    assertEquals(0, column.nextBoolean());
    assertEquals(EXHAUSTED, column.nextBoolean());
  }
}
