/**
 * The embedded database. A Repo holds many documents, each named by a document ID and URL, and
 * keeps every change in an append-only log behind a storage SPI whose default is SQLite. Snapshots,
 * derived SQL views, full-text indexes and the change stream (with offsets) are projections of that
 * log, rebuilt from it when in doubt. A damaged store is found by its checksums and hashes ({@code
 * Repo.scrub}) and its readable changes moved to a new one ({@code Repo.salvage}).
 */
@NullMarked
package dev.converge.repo;

import org.jspecify.annotations.NullMarked;
