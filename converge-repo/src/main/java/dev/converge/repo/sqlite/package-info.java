/**
 * The default store: one SQLite file in WAL mode with {@code synchronous=FULL}, holding the change
 * log, snapshots, consumer offsets, the derived views, and the bookkeeping of purges and
 * compactions (the {@code purged}, {@code forwards}, {@code replicas} and {@code touched} tables;
 * {@code Schema} lists them all).
 *
 * <p>A purge deletes a document's rows in one transaction under {@code PRAGMA secure_delete},
 * records its ID, then truncates the WAL; an interrupted purge is finished at the next open. A
 * compaction stores the new document's change and the forward in one transaction, refused unless
 * the old document's recorded heads are those the copy was made at.
 *
 * <p>Flow of a write: callers enqueue work; one writer thread drains the queue into one transaction
 * (group commit), runs each piece of work under its own savepoint so one refused change does not
 * fail its neighbours, commits, and only then completes the callers' futures. An append inserts log
 * rows and its document's recorded count and heads, nothing more.
 *
 * <p>Flow of the views: they are a consumer of the log ({@code ViewMaintainer}) that the writer
 * thread advances in transactions of their own, each moving the consumer's offset with the rows it
 * wrote; when the writer is idle, when they fall too far behind, and before every query. Reads use
 * a second connection that sees committed data only.
 */
@NullMarked
package dev.converge.repo.sqlite;

import org.jspecify.annotations.NullMarked;
