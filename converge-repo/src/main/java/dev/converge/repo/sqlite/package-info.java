/**
 * The default store: one SQLite file in WAL mode with {@code synchronous=FULL}, holding the change
 * log, snapshots, consumer offsets and the derived views.
 *
 * <p>Flow of a write: callers enqueue work; one writer thread drains the queue into one transaction
 * (group commit), runs each piece of work under its own savepoint so one refused change does not
 * fail its neighbours, brings the views up to the new end of the log inside the same transaction,
 * commits, and only then completes the callers' futures. Reads use a second connection that sees
 * committed data only.
 */
@NullMarked
package dev.converge.repo.sqlite;

import org.jspecify.annotations.NullMarked;
