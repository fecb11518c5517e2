/**
 * Undo and redo below the public {@link dev.converge.core.UndoManager}: {@link
 * dev.converge.core.internal.undo.Reverter} turns a group of this actor's changes into ops that
 * revert their visible effect against the document as it is now, writing values back through {@code
 * ValueWriter} (objects as deep copies) and marks through {@code MarkReverter}; {@link
 * dev.converge.core.internal.undo.Aliases} remembers which new op stands in for which old one, so
 * that later reverts follow the content to where it lives.
 */
package dev.converge.core.internal.undo;
