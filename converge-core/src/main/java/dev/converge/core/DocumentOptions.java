package dev.converge.core;

import java.util.Objects;

/**
 * How a new document behaves, for {@link Document#create(DocumentOptions)} and {@link
 * Document#fork(ActorId, DocumentOptions)}; {@link LoadOptions} carries the same for a loaded one.
 *
 * @param textUnit how the document counts positions and lengths in text: in its reads, its
 *     transactions and the patches its listeners get
 */
public record DocumentOptions(TextUnit textUnit) {
  /** Text counted in UTF-16 code units, as JavaScript Automerge counts. */
  public static final DocumentOptions DEFAULT = new DocumentOptions(TextUnit.UTF16);

  public DocumentOptions {
    Objects.requireNonNull(textUnit, "textUnit");
  }

  /** These options counting text in {@code textUnit}. */
  public DocumentOptions withTextUnit(TextUnit textUnit) {
    return new DocumentOptions(textUnit);
  }
}
