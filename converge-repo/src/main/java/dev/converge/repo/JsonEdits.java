package dev.converge.repo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.core.ConvergeException;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Edits and reads documents with JSON values at JSON Pointer paths (RFC 6901, e.g. {@code
 * /todos/0/title}; the empty pointer is the root). JSON objects become maps, arrays lists, strings
 * text objects (as JavaScript Automerge makes them), integers 64-bit ints, other numbers floats.
 * Every failure is a {@link ConvergeException} of kind {@code INVALID_ARGUMENT}, thrown inside the
 * change so that nothing is changed.
 */
public final class JsonEdits {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEPTH_MAX = 100;

  private JsonEdits() {}

  /**
   * Parses {@code json}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not one JSON value
   */
  public static JsonNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw invalid("no JSON value given");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw invalid("not JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * Sets the value at {@code pointer} to {@code value}, in one change of {@code handle}. At the
   * root, {@code value} must be an object, whose fields are set.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the path goes through a missing key or a
   *     non-object, an index is out of range, or the value is not JSON; nothing changed then
   */
  public static void put(DocHandle handle, String pointer, String json) {
    JsonNode value = parse(json);
    List<String> steps = steps(pointer);
    handle.change(
        tx -> {
          if (steps.isEmpty()) {
            if (!value.isObject()) {
              throw invalid("only a JSON object can be put at the root");
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
        });
  }

  /**
   * The value at {@code pointer} of the JSON text {@code documentJson}, as JSON.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if nothing is there
   */
  public static String get(String documentJson, String pointer) {
    steps(pointer);
    JsonNode found = parse(documentJson).at(pointer.equals("/") ? "" : pointer);
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
    } else if (value.isIntegralNumber() && value.canConvertToLong()) {
      slot.scalar(ScalarValue.integer(value.asLong()));
    } else if (value.isNumber()) {
      slot.scalar(new ScalarValue.F64(value.asDouble()));
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
