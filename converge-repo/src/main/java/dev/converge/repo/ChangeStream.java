package dev.converge.repo;

import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.Storage;
import java.util.List;

/**
 * The log as a stream (like {@code tail -f}): read from any offset, or through a named {@link
 * Consumer} whose offset is stored durably and resumes after a restart. Delivery is at least once:
 * a consumer that crashes between handling records and committing sees them again.
 *
 * <p>Thread-safety: safe for use by many threads; a {@link Consumer} is for one thread.
 */
public final class ChangeStream {
  private final Storage storage;

  ChangeStream(Storage storage) {
    this.storage = storage;
  }

  /** Up to {@code limit} durable records after {@code afterOffset}, each verified. */
  public List<LogRecord> read(long afterOffset, int limit) {
    return storage.readLog(afterOffset, limit);
  }

  /** The offset of the last durable record. */
  public long endOffset() {
    return storage.endOffset();
  }

  /**
   * The consumer named {@code name}, positioned after the offset it last committed.
   *
   * @throws IllegalArgumentException if {@code name} is empty or starts with {@code $} (reserved
   *     for built-in consumers)
   */
  public Consumer consumer(String name) {
    if (name.isEmpty() || name.startsWith("$") || name.length() > 200) {
      throw new IllegalArgumentException("consumer names are 1..200 chars, not starting with $");
    }
    return new Consumer(name, storage.consumerOffset(name));
  }

  /** A named reader of the log with a durable offset. */
  public final class Consumer {
    private final String name;
    private long position;
    private long committed;

    private Consumer(String name, long committed) {
      this.name = name;
      this.position = committed;
      this.committed = committed;
    }

    public String name() {
      return name;
    }

    /** The next records after those already polled (not necessarily committed). */
    public List<LogRecord> poll(int limit) {
      List<LogRecord> records = storage.readLog(position, limit);
      if (!records.isEmpty()) {
        position = records.get(records.size() - 1).offset();
      }
      return records;
    }

    /** Durably records that everything polled so far was handled; waits for the commit. */
    public void commit() {
      Futures.join(storage.commitConsumerOffset(name, position));
      committed = position;
    }

    /** The offset last committed: after a restart, polling resumes after it. */
    public long committedOffset() {
      return committed;
    }
  }
}
