/**
 * The embedded database. A {@link dev.converge.repo.Repo} holds many documents, each named by a
 * document ID and URL, and keeps every change in an append-only log behind a storage SPI whose
 * default is SQLite. Snapshots, derived SQL views, full-text indexes and the change stream (with
 * offsets) are projections of that log, rebuilt from it when in doubt. A damaged store is found by
 * its checksums and hashes ({@code Repo.scrub}) and its readable changes moved to a new one ({@code
 * Repo.salvage}).
 *
 * <p>Removing history: {@code Repo.purge} deletes a document and overwrites what the store kept of
 * it, and remembers its ID so that the repository refuses it from then on. {@code Repo.compact}
 * copies a document's current value into one change of a new document, records the link from the
 * old ID to the new one (a forward) in the same transaction, then purges the old document; {@code
 * Repo.settleForward} purges a compacted document's copy that arrived later once that loses no
 * edit. Once compacted, a handle of the old document refuses writes with {@link
 * dev.converge.repo.DocumentCompactedException}.
 *
 * <p>Sealed (end-to-end encrypted) documents live beside the plaintext ones, in {@code
 * dev.converge.repo.sealed}, with their own store.
 */
@NullMarked
package dev.converge.repo;

import org.jspecify.annotations.NullMarked;
