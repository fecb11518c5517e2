/**
 * Automerge chunks and change chunks (compat §2.1, §2.2, §2.7).
 *
 * <p>The flow: {@link dev.converge.core.internal.change.Chunks} finds chunk boundaries in a byte
 * array and tells "need more bytes" from "invalid"; {@link
 * dev.converge.core.internal.change.ChangeChunks} turns a change chunk (type 1, or type 2 once
 * inflated) into a verified {@link dev.converge.core.Change} and a change back into its canonical
 * type-1 chunk. The document chunk codec in {@code internal.document} builds on both.
 */
package dev.converge.core.internal.change;
