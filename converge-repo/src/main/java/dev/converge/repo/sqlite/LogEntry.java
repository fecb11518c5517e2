package dev.converge.repo.sqlite;

import dev.converge.core.Change;
import dev.converge.repo.spi.LogRecord;

/**
 * A log entry as a step of the views takes it: handed over by the writer after its commit, or read
 * back from the file.
 */
sealed interface LogEntry permits LogEntry.Committed, LogEntry.ReadBack {
  long offset();

  String documentId();

  Change change();

  /** A log entry this process committed, handed to the views by the writer. */
  record Committed(long offset, String documentId, Change change) implements LogEntry {}

  /** Read from the file, its bytes already verified against its hash ({@link LogSql}). */
  record ReadBack(LogRecord record) implements LogEntry {
    @Override
    public long offset() {
      return record.offset();
    }

    @Override
    public String documentId() {
      return record.documentId();
    }

    @Override
    public Change change() {
      return Change.fromBytes(record.bytes());
    }
  }
}
