/**
 * Automerge's columnar primitives: LEB128, a bounds-checked {@link
 * dev.converge.core.internal.codec.ByteReader}, a growable {@link
 * dev.converge.core.internal.codec.ByteWriter}, the column encoders and decoders (RLE, delta,
 * boolean, value), column metadata and DEFLATE.
 *
 * <p>The flow: a chunk codec ({@code internal.change}, {@code internal.document}) reads the column
 * metadata with {@link dev.converge.core.internal.codec.ColumnMetadata}, which checks the order and
 * layout rules and the lengths against the bytes present, then opens one decoder per column on its
 * slice. Writers go the other way: each encoder appends one column to a shared {@link
 * dev.converge.core.internal.codec.ByteWriter} and the caller records where each column starts and
 * ends.
 *
 * <p>Every decoder treats its input as hostile: a malformed input raises {@link
 * dev.converge.core.CorruptDataException} naming the column or field and the byte offset, and
 * nothing is allocated from a length that was not first checked against the bytes present. Encoders
 * always write the canonical form of compat §2.6 (the form JS Automerge requires in documents).
 * None of these classes is thread-safe; encoders may be reused after {@code reset}.
 */
package dev.converge.core.internal.codec;
