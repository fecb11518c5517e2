package dev.converge.core;

import dev.converge.core.internal.opset.OpSetView;

/**
 * A {@link Document} read in a text unit other than its own ({@link Document#inUnit}). Each call
 * takes the document's lock and reads its current state, so the view is as thread-safe as the
 * document and never goes stale.
 */
final class DocumentInUnit extends LockedReads {
  private final Document document;
  private final TextUnit unit;

  DocumentInUnit(Document document, TextUnit unit) {
    this.document = document;
    this.unit = unit;
  }

  @Override
  Object lock() {
    return document;
  }

  @Override
  OpSetView current() {
    return document.viewIn(unit);
  }

  @Override
  public TextUnit textUnit() {
    return unit;
  }

  @Override
  public ReadableDocument inUnit(TextUnit other) {
    return document.inUnit(other);
  }
}
