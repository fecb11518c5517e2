package dev.converge.repo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.converge.core.ConvergeException;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Edits and reads documents with JSON values at JSON Pointer paths (RFC 6901, e.g. {@code
 * /todos/0/title}; the empty pointer is the whole document). JSON objects become maps, arrays
 * lists, strings text objects (as JavaScript Automerge makes them), integers 64-bit signed ints (or
 * unsigned ints above 2^63 - 1), other numbers 64-bit floats. A number is never altered: an integer
 * outside -2^63 .. 2^64 - 1, or a float that overflows a 64-bit float or underflows to zero, is an
 * error (floats round to the nearest 64-bit float, as every JSON parser in JavaScript does). Input
 * is exactly one JSON value: text after it is an error.
 *
 * <p>Every failure is a {@link ConvergeException} of kind {@code INVALID_ARGUMENT}; the value is
 * checked before the change starts and the path inside it, so nothing is changed.
 */
public final class JsonEdits {
  /** Reads input with exact decimals, so that range checks see the number as written. */
  private static final ObjectMapper INPUT =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  /** Reads the JSON this package wrote itself ({@link DocHandle#toJson}). */
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int DEPTH_MAX = 100;
  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private JsonEdits() {}

  /**
   * Parses {@code json} and checks that it can be stored unaltered: its numbers fit Automerge's
   * types and it nests at most 100 deep.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not exactly one JSON value, or
   *     cannot be stored unaltered
   */
  public static JsonNode parse(String json) {
    JsonNode node;
    try (JsonParser parser = INPUT.createParser(json)) {
      node = INPUT.readTree(parser);
      if (node != null && parser.nextToken() != null) {
        throw invalid(
            "not JSON: text after the value at line "
                + parser.currentTokenLocation().getLineNr()
                + ", column "
                + parser.currentTokenLocation().getColumnNr());
      }
    } catch (JsonProcessingException e) {
      throw invalid("not JSON: " + oneLine(e.getOriginalMessage()));
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid("not JSON: a number cannot be read: " + oneLine(e.getMessage()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("reading a string cannot fail", e);
    }
    if (node == null || node.isMissingNode()) {
      throw invalid("no JSON value given");
    }
    check(node);
    return node;
  }

  /**
   * Parses {@code json} as {@link #parse} does and checks that it is an object, as a whole document
   * must be.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not, or {@link #parse} refuses it
   */
  public static JsonNode parseDocument(String json) {
    JsonNode value = parse(json);
    requireObjectAtRoot(List.of(), value);
    return value;
  }

  /**
   * Sets the value at {@code pointer} to {@code json}, in one change of {@code handle}. The empty
   * pointer (or {@code /}) names the whole document, which is a map: {@code json} must then be an
   * object, and the document becomes that object (keys it lacks are deleted).
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the path goes through a missing key or a
   *     non-object, an index is out of range, or the value is not JSON or cannot be stored
   *     unaltered; nothing changed then
   */
  public static void put(DocHandle handle, String pointer, String json) {
    JsonNode value = parse(json);
    List<String> steps = steps(pointer);
    requireObjectAtRoot(steps, value);
    handle.change(tx -> apply(tx, pointer, value));
  }

  /**
   * Sets the value at {@code pointer} to {@code value} in {@code tx}, as {@link #put} does; {@code
   * value} comes from {@link #parse}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT as {@link #put} does; the caller's change
   *     then rolls back
   */
  public static void apply(Transaction tx, String pointer, JsonNode value) {
    List<String> steps = steps(pointer);
    requireObjectAtRoot(steps, value);
    if (steps.isEmpty()) {
      for (String key : tx.keys(ObjId.ROOT)) {
        if (!value.has(key)) {
          tx.delete(ObjId.ROOT, key);
        }
      }
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        writeAt(tx, ObjId.ROOT, field.getKey(), field.getValue(), 0);
      }
      return;
    }
    ObjId parent = ObjId.ROOT;
    for (int i = 0; i < steps.size() - 1; i++) {
      parent = child(tx, parent, steps.get(i), pointer);
    }
    writeAt(tx, parent, steps.get(steps.size() - 1), value, 0);
  }

  private static void requireObjectAtRoot(List<String> steps, JsonNode value) {
    if (steps.isEmpty() && !value.isObject()) {
      throw invalid(
          "a document is a JSON object: only an object can be put at the root, found "
              + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** Checks depth and numbers without recursion: the input may nest deeply. */
  private static void check(JsonNode root) {
    java.util.ArrayDeque<JsonNode> nodes = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
    nodes.push(root);
    depths.push(0);
    while (!nodes.isEmpty()) {
      JsonNode node = nodes.pop();
      int depth = depths.pop();
      if (depth > DEPTH_MAX) {
        throw invalid("JSON nested deeper than " + DEPTH_MAX);
      }
      if (node.isNumber()) {
        var unused = scalar(node);
      }
      for (JsonNode child : node) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }

  /** The Automerge value a JSON number is stored as, exactly. */
  private static ScalarValue scalar(JsonNode number) {
    if (number.isIntegralNumber()) {
      BigInteger value = number.bigIntegerValue();
      if (value.bitLength() < Long.SIZE) {
        return ScalarValue.integer(value.longValueExact());
      }
      if (value.signum() > 0 && value.compareTo(UINT64_MAX) <= 0) {
        return new ScalarValue.Uint(value.longValue());
      }
      throw invalid(
          "integer "
              + truncated(number.asText())
              + " is out of range: Automerge stores integers from -2^63 to 2^64 - 1");
    }
    BigDecimal exact = number.decimalValue();
    double value = exact.doubleValue();
    if (Double.isInfinite(value)) {
      throw invalid("number " + truncated(number.asText()) + " is out of range of a 64-bit float");
    }
    if (value == 0 && exact.signum() != 0) {
      throw invalid("number " + truncated(number.asText()) + " underflows a 64-bit float to 0");
    }
    return new ScalarValue.F64(value);
  }

  private static String truncated(String text) {
    return text.length() <= 40
        ? text
        : text.substring(0, 40) + "... (" + text.length() + " digits)";
  }

  private static String oneLine(@Nullable String message) {
    if (message == null) {
      return "malformed";
    }
    String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  /**
   * The value at {@code pointer} of the JSON text {@code documentJson}, as JSON.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if nothing is there
   */
  public static String get(String documentJson, String pointer) {
    steps(pointer);
    JsonNode found;
    try {
      found = JSON.readTree(documentJson).at(pointer.equals("/") ? "" : pointer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a document's own JSON does not parse", e);
    }
    if (found.isMissingNode()) {
      throw invalid("no value at " + pointer);
    }
    return found.toString();
  }

  private static List<String> steps(String pointer) {
    if (pointer.isEmpty() || pointer.equals("/")) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw invalid("a path is a JSON Pointer starting with '/', found '" + pointer + "'");
    }
    List<String> steps = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      steps.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return steps;
  }

  private static ObjId child(Transaction tx, ObjId parent, String step, String pointer) {
    Optional<Value> value =
        tx.objType(parent) == ObjType.MAP || tx.objType(parent) == ObjType.TABLE
            ? tx.get(parent, step)
            : tx.get(parent, index(tx, parent, step, false));
    if (value.isPresent() && value.get() instanceof Value.Obj obj && obj.type() != ObjType.TEXT) {
      return obj.id();
    }
    throw invalid(
        "path "
            + pointer
            + ": "
            + (value.isEmpty() ? "no key '" : "not an object at '")
            + step
            + "'");
  }

  private static int index(Transaction tx, ObjId list, String step, boolean allowEnd) {
    int length = tx.length(list);
    int index;
    try {
      index = step.equals("-") ? length : Integer.parseInt(step);
    } catch (NumberFormatException e) {
      throw invalid("'" + step + "' is not a list index");
    }
    if (index < 0 || index > length || (index == length && !allowEnd)) {
      throw invalid("index " + index + " is out of range for a list of " + length);
    }
    return index;
  }

  private static void writeAt(
      Transaction tx, ObjId parent, String step, JsonNode value, int depth) {
    ObjType type = tx.objType(parent);
    if (type == ObjType.TEXT) {
      throw invalid("cannot put into text at '" + step + "'");
    }
    if (type.isSequence()) {
      int index = index(tx, parent, step, true);
      boolean append = index == tx.length(parent);
      write(tx, value, depth, new ListSlot(tx, parent, index, append));
    } else {
      write(tx, value, depth, new MapSlot(tx, parent, step));
    }
  }

  private interface Slot {
    void scalar(ScalarValue value);

    ObjId object(ObjType type);
  }

  private record MapSlot(Transaction tx, ObjId map, String key) implements Slot {
    @Override
    public void scalar(ScalarValue value) {
      tx.put(map, key, value);
    }

    @Override
    public ObjId object(ObjType type) {
      return tx.putObject(map, key, type);
    }
  }

  private record ListSlot(Transaction tx, ObjId list, int index, boolean insert) implements Slot {
    @Override
    public void scalar(ScalarValue value) {
      if (insert) {
        tx.insert(list, index, value);
      } else {
        tx.put(list, index, value);
      }
    }

    @Override
    public ObjId object(ObjType type) {
      return insert ? tx.insertObject(list, index, type) : tx.putObject(list, index, type);
    }
  }

  private static void write(Transaction tx, JsonNode value, int depth, Slot slot) {
    if (depth > DEPTH_MAX) {
      throw invalid("JSON nested deeper than " + DEPTH_MAX);
    }
    if (value.isObject()) {
      ObjId map = slot.object(ObjType.MAP);
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        write(tx, field.getValue(), depth + 1, new MapSlot(tx, map, field.getKey()));
      }
    } else if (value.isArray()) {
      ObjId list = slot.object(ObjType.LIST);
      for (int i = 0; i < value.size(); i++) {
        write(tx, value.get(i), depth + 1, new ListSlot(tx, list, i, true));
      }
    } else if (value.isTextual()) {
      ObjId text = slot.object(ObjType.TEXT);
      tx.splice(text, 0, 0, value.asText());
    } else if (value.isNumber()) {
      slot.scalar(scalar(value));
    } else if (value.isBoolean()) {
      slot.scalar(ScalarValue.bool(value.asBoolean()));
    } else if (value.isNull()) {
      slot.scalar(ScalarValue.NULL);
    } else {
      throw invalid("unsupported JSON value " + value.getNodeType());
    }
  }

  private static ConvergeException invalid(String message) {
    return new ConvergeException(ConvergeException.Kind.INVALID_ARGUMENT, message);
  }
}
