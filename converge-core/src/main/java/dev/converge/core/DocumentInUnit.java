package dev.converge.core;

import java.util.List;

/**
 * A {@link Document} read in a text unit other than its own ({@link Document#inUnit}). Each call
 * takes the document's lock and reads its current state, so the view is as thread-safe as the
 * document and never goes stale.
 */
final class DocumentInUnit implements ReadableDocument {
  private final Document document;
  private final TextUnit unit;

  DocumentInUnit(Document document, TextUnit unit) {
    this.document = document;
    this.unit = unit;
  }

  @Override
  public TextUnit textUnit() {
    return unit;
  }

  @Override
  public ReadableDocument inUnit(TextUnit other) {
    return document.inUnit(other);
  }

  @Override
  public ObjType objType(ObjId obj) {
    synchronized (document) {
      return document.viewIn(unit).objType(obj);
    }
  }

  @Override
  public List<Conflict> conflicts(ObjId obj, String key) {
    synchronized (document) {
      return document.viewIn(unit).conflicts(obj, key);
    }
  }

  @Override
  public List<Conflict> conflicts(ObjId obj, int index) {
    synchronized (document) {
      return document.viewIn(unit).conflicts(obj, index);
    }
  }

  @Override
  public List<String> keys(ObjId obj) {
    synchronized (document) {
      return document.viewIn(unit).keys(obj);
    }
  }

  @Override
  public int length(ObjId obj) {
    synchronized (document) {
      return document.viewIn(unit).length(obj);
    }
  }

  @Override
  public String text(ObjId obj) {
    synchronized (document) {
      return document.viewIn(unit).text(obj);
    }
  }

  @Override
  public String text(ObjId obj, int start, int end) {
    synchronized (document) {
      return document.viewIn(unit).text(obj, start, end);
    }
  }

  @Override
  public Cursor cursor(ObjId seq, int index) {
    synchronized (document) {
      return document.viewIn(unit).cursor(seq, index);
    }
  }

  @Override
  public int cursorPosition(Cursor cursor) {
    synchronized (document) {
      return document.viewIn(unit).cursorPosition(cursor);
    }
  }

  @Override
  public List<Value> values(ObjId obj) {
    synchronized (document) {
      return document.viewIn(unit).values(obj);
    }
  }

  @Override
  public List<Mark> marks(ObjId obj) {
    synchronized (document) {
      return document.viewIn(unit).marks(obj);
    }
  }

  @Override
  public Object toJava(ObjId obj) {
    synchronized (document) {
      return document.viewIn(unit).toJava(obj);
    }
  }

  @Override
  public String toJson() {
    synchronized (document) {
      return document.viewIn(unit).toJson();
    }
  }
}
