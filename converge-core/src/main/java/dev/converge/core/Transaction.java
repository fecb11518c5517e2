package dev.converge.core;

import java.util.List;

/**
 * The edits of one local change, given to {@link Document#change}. Each edit is applied at once, so
 * reads through this transaction see it; the change is committed when the callback returns, and
 * everything is undone if it throws.
 *
 * <p>Indexes into text count in the {@link #textUnit()} (the document's, or another through {@link
 * #inUnit}); each Unicode code point becomes one op, as Automerge stores text, whatever the unit.
 * Indexes into lists count elements.
 *
 * <p>Every method throws {@link ConvergeException} of kind {@code INVALID_ARGUMENT} for an unknown
 * object, an object of the wrong kind, or an index out of range, and {@link
 * CharacterSplitException} for a text index inside a character; nothing is changed then. Not
 * thread-safe; valid only inside the callback.
 */
public interface Transaction extends ReadableDocument {

  /**
   * This transaction counting text in {@code unit}: edits made through it belong to this same
   * change.
   */
  @Override
  Transaction inUnit(TextUnit unit);

  /** Sets a map key to a scalar. */
  void put(ObjId map, String key, ScalarValue value);

  /** Sets a map key to a string. */
  default void put(ObjId map, String key, String value) {
    put(map, key, ScalarValue.str(value));
  }

  /** Sets a map key to a 64-bit signed integer. */
  default void put(ObjId map, String key, long value) {
    put(map, key, ScalarValue.integer(value));
  }

  /** Sets a map key to a new empty object and returns its ID. */
  ObjId putObject(ObjId map, String key, ObjType type);

  /** Overwrites the list element at {@code index}. */
  void put(ObjId list, int index, ScalarValue value);

  /** Overwrites the list element at {@code index} with a new empty object. */
  ObjId putObject(ObjId list, int index, ObjType type);

  /** Inserts a scalar into a list before {@code index} ({@code length} appends). */
  void insert(ObjId list, int index, ScalarValue value);

  /** Inserts a new empty object into a list and returns its ID. */
  ObjId insertObject(ObjId list, int index, ObjType type);

  /** Removes a map key. Removing an absent key does nothing. */
  void delete(ObjId map, String key);

  /** Removes the list element at {@code index}, or the character at a text index. */
  void delete(ObjId seq, int index);

  /**
   * Replaces {@code deleteCount} units of a text at {@code index} with {@code insert}: a lone
   * surrogate in {@code insert} is refused, since it has no UTF-8 form.
   */
  void splice(ObjId text, int index, int deleteCount, String insert);

  /** Replaces {@code deleteCount} list elements at {@code index} with {@code values}. */
  void splice(ObjId list, int index, int deleteCount, List<ScalarValue> values);

  /** Adds {@code by} to the counter at a map key. */
  void increment(ObjId map, String key, long by);

  /** Adds {@code by} to the counter at a list index. */
  void increment(ObjId list, int index, long by);

  /**
   * Marks text from {@code start} (inclusive) to {@code end} (exclusive), in the transaction's
   * unit, with {@code name} = {@code value}; {@link ScalarValue#NULL} removes the mark over that
   * range.
   */
  void mark(ObjId text, int start, int end, ExpandMark expand, String name, ScalarValue value);

  /** Removes the mark {@code name} over a range of text. */
  default void unmark(ObjId text, int start, int end, ExpandMark expand, String name) {
    mark(text, start, end, expand, name, ScalarValue.NULL);
  }
}
