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

  /**
   * Pushes every durable record after {@code afterOffset} to {@code handler}, in offset order, as
   * it is committed (like {@code tail -f}), on a thread of the subscription's own, until the
   * subscription is closed, the repository is closed, or {@code handler} throws (see {@link
   * Subscription#failure}). For a durable position across restarts, pair it with a named {@link
   * Consumer}'s committed offset.
   */
  public Subscription subscribe(long afterOffset, java.util.function.Consumer<LogRecord> handler) {
    Subscription subscription = new Subscription(afterOffset, handler);
    subscription.thread.start();
    return subscription;
  }

  /** A running push of the log to a handler; see {@link #subscribe}. */
  public final class Subscription implements AutoCloseable {
    private static final int PAGE = 1000;
    private static final java.time.Duration WAIT = java.time.Duration.ofMillis(200);

    private final java.util.function.Consumer<LogRecord> handler;
    private final Thread thread;
    private volatile long position;
    private volatile boolean closed;
    private volatile @org.jspecify.annotations.Nullable RuntimeException failure;

    private Subscription(long afterOffset, java.util.function.Consumer<LogRecord> handler) {
      this.position = afterOffset;
      this.handler = handler;
      this.thread = new Thread(this::run, "converge-change-stream");
      thread.setDaemon(true);
    }

    private void run() {
      try {
        while (!closed) {
          List<LogRecord> page = storage.readLog(position, PAGE);
          if (page.isEmpty()) {
            long end = storage.awaitEndOffset(position, WAIT);
            if (end > position) {
              page = storage.readLog(position, PAGE);
              if (page.isEmpty()) {
                // Everything up to end was durable before this read and is gone: deleted.
                position = end;
              }
            }
          }
          for (LogRecord record : page) {
            if (closed) {
              return;
            }
            // Set before the call, so a handler that hands the record to another thread never
            // lets that thread see a position behind the record it holds.
            position = record.offset();
            handler.accept(record);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        if (!closed) {
          failure = e;
        }
      }
    }

    /** The thread that calls the handler: join it to wait for a subscription that stopped. */
    public Thread thread() {
      return thread;
    }

    /** The offset of the last record handed to the handler. */
    public long position() {
      return position;
    }

    /**
     * Why the subscription stopped on its own: the handler's exception, or the store's (closed,
     * corrupt); empty while it runs and after {@link #close}.
     */
    public java.util.Optional<RuntimeException> failure() {
      return java.util.Optional.ofNullable(failure);
    }

    /** Stops the pushes and waits for the handler to return; no record is handed over after. */
    @Override
    public void close() {
      closed = true;
      thread.interrupt();
      if (Thread.currentThread() != thread) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
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
