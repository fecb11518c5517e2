package dev.converge.core.internal.opset;

import dev.converge.core.Conflict;
import dev.converge.core.Cursor;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.Value;
import java.util.List;

/**
 * A {@link ReadableDocument} whose reads are those of another one, {@link #reads()}: for a type
 * that adds to reading (a transaction adds writes) without reading differently.
 */
interface ReadsThrough extends ReadableDocument {
  /** Where every read goes. */
  ReadableDocument reads();

  @Override
  default ObjType objType(ObjId obj) {
    return reads().objType(obj);
  }

  @Override
  default List<Conflict> conflicts(ObjId obj, String key) {
    return reads().conflicts(obj, key);
  }

  @Override
  default List<Conflict> conflicts(ObjId obj, int index) {
    return reads().conflicts(obj, index);
  }

  @Override
  default List<String> keys(ObjId obj) {
    return reads().keys(obj);
  }

  @Override
  default int length(ObjId obj) {
    return reads().length(obj);
  }

  @Override
  default String text(ObjId obj) {
    return reads().text(obj);
  }

  @Override
  default String text(ObjId obj, int start, int end) {
    return reads().text(obj, start, end);
  }

  @Override
  default Cursor cursor(ObjId seq, int index) {
    return reads().cursor(seq, index);
  }

  @Override
  default int cursorPosition(Cursor cursor) {
    return reads().cursorPosition(cursor);
  }

  @Override
  default List<Value> values(ObjId obj) {
    return reads().values(obj);
  }

  @Override
  default List<Mark> marks(ObjId obj) {
    return reads().marks(obj);
  }

  @Override
  default Object toJava(ObjId obj) {
    return reads().toJava(obj);
  }

  @Override
  default String toJson() {
    return reads().toJson();
  }
}
