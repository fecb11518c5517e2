/**
 * The default store: one SQLite file in WAL mode with {@code synchronous=FULL}, holding the change
 * log, snapshots, consumer offsets and the derived views.
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
