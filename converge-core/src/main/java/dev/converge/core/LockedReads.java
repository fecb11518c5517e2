package dev.converge.core;

import dev.converge.core.internal.opset.OpSetView;
import java.util.List;

/**
 * The reads of a document's current state, each taken under the document's lock: what {@link
 * Document} and its views in another text unit ({@link DocumentInUnit}) share, so that both read
 * the same state the same way and neither can hand out a reader that outlives the lock.
 */
abstract sealed class LockedReads implements ReadableDocument permits Document, DocumentInUnit {

  /** The monitor that guards the document's state: the document itself. */
  abstract Object lock();

  /** A reader of the current state in this view's text unit; the caller holds {@link #lock()}. */
  abstract OpSetView current();

  @Override
  public Cursor cursor(ObjId seq, int index) {
    synchronized (lock()) {
      return current().cursor(seq, index);
    }
  }

  @Override
  public int cursorPosition(Cursor cursor) {
    synchronized (lock()) {
      return current().cursorPosition(cursor);
    }
  }

  @Override
  public String text(ObjId obj, int start, int end) {
    synchronized (lock()) {
      return current().text(obj, start, end);
    }
  }

  @Override
  public ObjType objType(ObjId obj) {
    synchronized (lock()) {
      return current().objType(obj);
    }
  }

  @Override
  public List<Conflict> conflicts(ObjId obj, String key) {
    synchronized (lock()) {
      return current().conflicts(obj, key);
    }
  }

  @Override
  public List<Conflict> conflicts(ObjId obj, int index) {
    synchronized (lock()) {
      return current().conflicts(obj, index);
    }
  }

  @Override
  public List<String> keys(ObjId obj) {
    synchronized (lock()) {
      return current().keys(obj);
    }
  }

  @Override
  public int length(ObjId obj) {
    synchronized (lock()) {
      return current().length(obj);
    }
  }

  @Override
  public String text(ObjId obj) {
    synchronized (lock()) {
      return current().text(obj);
    }
  }

  @Override
  public List<Value> values(ObjId obj) {
    synchronized (lock()) {
      return current().values(obj);
    }
  }

  @Override
  public List<Mark> marks(ObjId obj) {
    synchronized (lock()) {
      return current().marks(obj);
    }
  }

  @Override
  public Object toJava(ObjId obj) {
    synchronized (lock()) {
      return current().toJava(obj);
    }
  }

  @Override
  public String toJson() {
    synchronized (lock()) {
      return current().toJson();
    }
  }
}
