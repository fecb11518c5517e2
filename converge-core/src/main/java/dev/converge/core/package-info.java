/**
 * The document engine's API: Automerge's data model and change log, byte-compatible with Automerge.
 *
 * <p>A {@link dev.converge.core.Document} holds a root map of maps, lists, text, counters and
 * scalars ({@link dev.converge.core.ObjId}, {@link dev.converge.core.Value}, {@link
 * dev.converge.core.ScalarValue}). Local edits run in a {@link dev.converge.core.Transaction} and
 * commit as one immutable {@link dev.converge.core.Change}, named by its {@link
 * dev.converge.core.ChangeHash} and stamped by a {@link dev.converge.core.HybridClock}; changes
 * from other replicas are applied in any order and merge to the same state. Reads go through {@link
 * dev.converge.core.ReadableDocument} (text counted in a {@link dev.converge.core.TextUnit}, marks,
 * cursors, conflicts) and, with the history, {@link dev.converge.core.DocumentHistory} (time
 * travel, diffs as {@link dev.converge.core.Patch} lists, change summaries). {@link
 * dev.converge.core.UndoManager} undoes and redoes local changes.
 *
 * <p>{@code save} and {@code load} read and write Automerge's binary format; {@link
 * dev.converge.core.LoadOptions} bounds what a file may make the engine allocate. Bad input gets a
 * {@link dev.converge.core.ConvergeException} subtype: {@link
 * dev.converge.core.CorruptDataException}, {@link dev.converge.core.LimitExceededException}, {@link
 * dev.converge.core.MissingDependenciesException}, {@link
 * dev.converge.core.UnsupportedFormatException}, {@link dev.converge.core.CharacterSplitException}.
 *
 * <p>The sync protocol is in {@code dev.converge.core.sync}; everything under {@code
 * dev.converge.core.internal} is hidden by the module descriptor.
 */
package dev.converge.core;
