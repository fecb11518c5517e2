package dev.converge.core;

import java.util.List;
import java.util.OptionalInt;

/**
 * Reading a document together with its history: its current value ({@link ReadableDocument}), its
 * applied changes in the order they were applied (a causal order, indexed from 0), its value at any
 * past heads, and the difference between any two versions. What an inspector or a history view
 * needs, without a way to change the document.
 *
 * <p>Every method that takes heads throws {@link ConvergeException} of kind {@code
 * INVALID_ARGUMENT} when a hash is not one of the document's applied changes.
 */
public interface DocumentHistory extends ReadableDocument {

  /** The hashes of the changes no other change depends on, sorted. */
  List<ChangeHash> heads();

  /** How many changes have been applied. */
  int changeCount();

  /**
   * Summaries of the applied changes at indexes {@code fromIndex} (inclusive) to {@code toIndex}
   * (exclusive), in the order they were applied.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the range is not within {@code [0,
   *     changeCount()]}
   */
  List<ChangeSummary> changeSummaries(int fromIndex, int toIndex);

  /** Where the change with {@code hash} is in the applied order; empty if it is not applied. */
  OptionalInt changeIndex(ChangeHash hash);

  /**
   * The heads of the version made of the first {@code count} applied changes (a causally closed
   * set, since they were applied in a causal order), sorted; empty for 0.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if {@code count} is not within {@code [0,
   *     changeCount()]}
   */
  List<ChangeHash> headsOfFirst(int count);

  /**
   * The document as it was at {@code heads} (time travel); read it before the document changes
   * again.
   */
  ReadableDocument at(List<ChangeHash> heads);

  /**
   * The patches that turn the document as it was at {@code before} into the document as it was at
   * {@code after}, in the order a listener applies them; the versions may be in either order or
   * concurrent. Empty heads are the empty document.
   */
  List<Patch> diff(List<ChangeHash> before, List<ChangeHash> after);
}
