package dev.converge.core.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.CorruptDataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** How columns group into logical columns, and the layouts JavaScript Automerge refuses. */
class ColumnLayoutTest {
  private static List<RawColumn> columns(int... specs) {
    List<RawColumn> out = new ArrayList<>();
    for (int i = 0; i < specs.length; i++) {
      out.add(new RawColumn(ColumnSpec.fromRaw(specs[i]), i, 1));
    }
    return out;
  }

  @Test
  void of_changeLayout_groupsPredsAndPairsValues() {
    // key string, insert, action, value metadata + raw, pred group + actor + delta
    List<ColumnLayout.Logical> logical =
        ColumnLayout.of(columns(21, 52, 66, 86, 87, 112, 113, 115), "c");
    assertEquals(5, logical.size());
    assertEquals(87, Objects.requireNonNull(logical.get(3).raw()).spec().raw());
    assertEquals(2, logical.get(4).grouped().size());
    assertNull(logical.get(0).raw());
  }

  @Test
  void of_valueMetadataWithoutRaw_standsAlone() {
    List<ColumnLayout.Logical> logical = ColumnLayout.of(columns(86, 112), "c");
    assertEquals(2, logical.size());
    assertNull(logical.get(0).raw());
  }

  @Test
  void of_repeatedSpec_keptTwice() {
    assertEquals(2, ColumnLayout.of(columns(21, 21), "c").size());
  }

  @Test
  void of_badLayouts_refused() {
    assertTrue(message(87).contains("raw value column without a value metadata column"));
    assertTrue(message(86, 103).contains("after the value metadata of another id"));
    assertTrue(message(112, 112).contains("nested group"));
    assertTrue(message(112, 113, 119).contains("raw value column without"));
  }

  private static String message(int... specs) {
    return String.valueOf(
        assertThrows(CorruptDataException.class, () -> ColumnLayout.of(columns(specs), "c"))
            .getMessage());
  }
}
