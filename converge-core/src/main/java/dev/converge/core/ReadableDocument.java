package dev.converge.core;

import java.util.List;
import java.util.Optional;

/**
 * Reading a document: as it is now ({@link Document}, {@link Transaction}) or as it was at some
 * past heads ({@link Document#at}). Sequence indexes count list elements, or text in the {@link
 * #textUnit()} of this reader: UTF-16 code units unless the document was made or loaded with
 * another, or read through {@link #inUnit}.
 *
 * <p>Every method throws {@link ConvergeException} of kind {@code INVALID_ARGUMENT} when {@code
 * obj} does not exist or is of the wrong kind, and {@link CharacterSplitException} for a text index
 * that falls inside a character in the unit counted.
 */
public interface ReadableDocument {

  /** The unit text indexes and lengths count in. */
  TextUnit textUnit();

  /**
   * This document counting text in {@code unit}: the same document, read (and, for a {@link
   * Transaction}, edited) with every text index, length, mark and cursor position in that unit.
   * Conversions cost O(log n): the sequence tree keeps the width of the text in every unit.
   */
  ReadableDocument inUnit(TextUnit unit);

  /** The type of the object {@code obj}. */
  ObjType objType(ObjId obj);

  /** The winning value at a map key, empty if the key holds none. */
  default Optional<Value> get(ObjId obj, String key) {
    List<Conflict> all = conflicts(obj, key);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).value());
  }

  /** The winning value at a list index (or the character at a text index), empty if none. */
  default Optional<Value> get(ObjId obj, int index) {
    List<Conflict> all = conflicts(obj, index);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).value());
  }

  /** The ID of the object at a map key, empty if the key holds a scalar or nothing. */
  default Optional<ObjId> objectAt(ObjId map, String key) {
    return get(map, key).filter(Value.Obj.class::isInstance).map(value -> ((Value.Obj) value).id());
  }

  /**
   * Every value concurrently present at a map key, in op ID order: the last one is the winner; more
   * than one means a conflict.
   */
  List<Conflict> conflicts(ObjId obj, String key);

  /** Every value concurrently present at a sequence index, in op ID order. */
  List<Conflict> conflicts(ObjId obj, int index);

  /** The keys of a map that hold a value, in Automerge's order (UTF-8 byte order). */
  List<String> keys(ObjId obj);

  /** The number of keys of a map, elements of a list, or units of a text. */
  int length(ObjId obj);

  /** The content of a text object. */
  String text(ObjId obj);

  /**
   * The content of a text object from {@code start} (inclusive) to {@code end} (exclusive); costs
   * O(log n) plus the characters read.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the range is outside the text
   * @throws CharacterSplitException if {@code start} or {@code end} falls inside a character
   */
  String text(ObjId obj, int start, int end);

  /**
   * A cursor at the element at {@code index} of a list or text.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the index is out of range
   * @throws CharacterSplitException if the index falls inside a character
   */
  Cursor cursor(ObjId seq, int index);

  /**
   * Where {@code cursor} points now: its element's index, or where it was if it has been deleted.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the cursor's element is unknown here
   */
  int cursorPosition(Cursor cursor);

  /** The values of a list, in order. */
  List<Value> values(ObjId obj);

  /** The formatting marks over a text, by name, then position; positions in this reader's unit. */
  List<Mark> marks(ObjId obj);

  /**
   * The object as plain Java values: {@code Map<String,Object>} (in key order), {@code
   * List<Object>}, {@code String} for text; scalars as Boolean, Long (int, uint bits, counter
   * total), Double, String, byte[], {@link java.time.Instant}, or null.
   */
  Object toJava(ObjId obj);

  /** The whole document as one line of JSON, as {@code converge cat} prints it. */
  String toJson();
}
