/**
 * Document chunks (type 0, compat §2.8–2.9): the compacted form {@code save()} writes.
 *
 * <p>The flow: {@link dev.converge.core.internal.document.DocumentChunk#decode} parses a chunk into
 * a {@link dev.converge.core.internal.document.DecodedDocument} (actors, heads, change metadata
 * rows, ops in stored order with successors); {@link
 * dev.converge.core.internal.document.DecodedDocument#reconstructChanges()} rebuilds the changes,
 * each op going to the change {@code ChangeRanges} finds for it as JavaScript Automerge 3.5 does,
 * and {@link dev.converge.core.internal.document.DecodedDocument#reconstructInto} also checks their
 * heads against the stored ones, for a file's first chunk. {@link
 * dev.converge.core.internal.document.DocumentChunk#encode} writes the same structure back, from
 * ops the engine has already put in document order.
 */
package dev.converge.core.internal.document;
