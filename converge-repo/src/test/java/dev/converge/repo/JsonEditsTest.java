package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ConvergeException;
import dev.converge.core.ObjId;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, items 4, 5 and 10: JSON given to {@link JsonEdits} is exactly one value, its numbers
 * are stored as Automerge types hold them or refused (before: text after the value was ignored,
 * 2^64 - 1 became a float and read back as 2^64, 1e400 became null), and a put at the empty pointer
 * sets the whole document (before: it merged). Every refusal leaves the saved bytes as they were.
 *
 * <p>How: an in-memory repository; each case compares {@code save()} before and after.
 */
class JsonEditsTest {
  private final Repo repo = Repo.inMemory();
  private final DocHandle handle = repo.create();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1} trailing",
        "1 2",
        "{\"a\":1}}",
        "[1] [2]",
        "",
        "   ",
        "18446744073709551616",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1e400",
        "-1e400",
        "1e-400",
        "{\"deep\":1e999}",
        "NaN"
      })
  void put_refusedValue_throwsAndChangesNothing(String json) {
    handle.change(tx -> tx.put(ObjId.ROOT, "keep", "me"));
    byte[] before = handle.save();
    ConvergeException thrown =
        assertThrows(ConvergeException.class, () -> JsonEdits.put(handle, "/n", json));
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, thrown.kind());
    assertTrue(!String.valueOf(thrown.getMessage()).contains("com.fasterxml"), thrown.getMessage());
    assertArrayEquals(before, handle.save());
  }

  @Test
  void put_uint64Max_isStoredAsUintAndReadBackExactly() {
    JsonEdits.put(handle, "/n", "18446744073709551615");
    assertEquals(
        new Value.Scalar(new ScalarValue.Uint(-1L)),
        handle.read(doc -> doc.get(ObjId.ROOT, "n").orElseThrow()));
    assertEquals("18446744073709551615", JsonEdits.get(handle.toJson(), "/n"));
  }

  @Test
  void put_int64Bounds_areSignedInts() {
    JsonEdits.put(handle, "/max", "9223372036854775807");
    JsonEdits.put(handle, "/min", "-9223372036854775808");
    assertEquals("9223372036854775807", JsonEdits.get(handle.toJson(), "/max"));
    assertEquals("-9223372036854775808", JsonEdits.get(handle.toJson(), "/min"));
    assertEquals(
        new Value.Scalar(ScalarValue.integer(Long.MIN_VALUE)),
        handle.read(doc -> doc.get(ObjId.ROOT, "min").orElseThrow()));
  }

  @Test
  void put_floats_areStoredAsTheNearestDouble() {
    JsonEdits.put(handle, "/f", "[0.1, 1e308, 4.9e-324, -2.5]");
    assertEquals("[0.1,1.0E308,4.9E-324,-2.5]", JsonEdits.get(handle.toJson(), "/f"));
  }

  @Test
  void put_atRoot_setsTheWholeDocument() {
    JsonEdits.put(handle, "", "{\"a\":1,\"b\":{\"c\":2}}");
    JsonEdits.put(handle, "", "{\"b\":3,\"d\":true}");
    assertEquals("{\"b\":3,\"d\":true}", handle.toJson());
    JsonEdits.put(handle, "/", "{}");
    assertEquals("{}", handle.toJson());
  }

  @Test
  void put_nonObjectAtRoot_isRefused() {
    byte[] before = handle.save();
    assertThrows(ConvergeException.class, () -> JsonEdits.put(handle, "", "[1,2]"));
    assertThrows(ConvergeException.class, () -> JsonEdits.parseDocument("\"text\""));
    assertArrayEquals(before, handle.save());
  }

  @Test
  void parse_nestedDeeperThanLimit_isRefusedWithoutRecursion() {
    String deep = "[".repeat(150) + "]".repeat(150);
    ConvergeException thrown = assertThrows(ConvergeException.class, () -> JsonEdits.parse(deep));
    assertTrue(String.valueOf(thrown.getMessage()).contains("nested deeper"), thrown.getMessage());
  }
}
