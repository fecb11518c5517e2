package dev.converge.core.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Size hints of RLE columns: exact for well-formed columns, capped, and harmless on garbage. */
class RleRowsTest {
  /** RLE of {@code values}, a negative one standing for null. */
  private static ByteReader encode(List<Integer> values) {
    ByteWriter out = new ByteWriter();
    RleEncoder encoder = new RleEncoder(false);
    encoder.begin(out);
    for (Integer value : values) {
      if (value < 0) {
        encoder.appendNull();
      } else {
        encoder.append(value);
      }
    }
    encoder.finish();
    return new ByteReader(out.toByteArray());
  }

  @Property
  void countAndSumMatchTheColumn(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 4) Integer> values) {
    ByteReader column = encode(values);
    int sum = values.stream().mapToInt(v -> Math.max(v, 0)).sum();
    assertEquals(values.size(), RleRows.count(column, Integer.MAX_VALUE));
    assertEquals(sum, RleRows.sum(column, Integer.MAX_VALUE));
    assertEquals(Math.min(values.size(), 7), RleRows.count(column, 7));
    assertEquals(0, column.position(), "the hint reads a copy");
  }

  @Test
  void nullRunsCountAsRows() {
    ByteReader column = encode(List.of(1, -1, -1, 2, 2));
    assertEquals(5, RleRows.count(column, 100));
    assertEquals(5, RleRows.sum(column, 100));
  }

  @Test
  void hugeClaimsStopAtTheCap() {
    // A run of 2^62 rows of the value 2^62: one small column claiming more than memory holds.
    ByteWriter out = new ByteWriter();
    out.writeSleb(1L << 62);
    out.writeUleb(1L << 62);
    ByteReader column = new ByteReader(out.toByteArray());
    assertEquals(1000, RleRows.count(column, 1000));
    assertEquals(1000, RleRows.sum(column, 1000));
  }

  @Test
  void malformedColumnsEndTheCountEarly() {
    ByteReader truncated = new ByteReader(HexFormat.of().parseHex("0301" + "7d" + "01"));
    assertEquals(4, RleRows.count(truncated, 100), "3 in a run, then 1 of a literal run of 3");
    assertEquals(0, RleRows.count(new ByteReader(new byte[] {(byte) 0x80}), 100));
  }
}
