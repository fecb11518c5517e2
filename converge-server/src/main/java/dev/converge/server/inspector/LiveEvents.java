package dev.converge.server.inspector;

import dev.converge.repo.ChangeStream;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.LogRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Server-Sent Events at {@code /api/events}: one {@code change} event, {@code {"doc","offset"}},
 * for each document whose log grows, as the repository's change stream commits it. Pages refetch
 * what they show when they hear of their document (or, on the list, of any).
 *
 * <p>A slow browser never holds the stream back: while a write to it is in flight, later events for
 * it are gathered, one per document with its latest offset, and sent together when the write
 * completes. A comment line every {@value #HEARTBEAT_SECONDS} seconds finds the connections that
 * went away; a failed write ends that connection.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class LiveEvents implements AutoCloseable {
  static final int HEARTBEAT_SECONDS = 15;

  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final ChangeStream.Subscription subscription;
  private final ScheduledExecutorService heartbeat;

  LiveEvents(Repo repo) {
    this.subscription = repo.changes().subscribe(repo.changes().endOffset(), this::committed);
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "converge-inspector-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    var unused =
        heartbeat.scheduleAtFixedRate(
            () -> clients.forEach(client -> client.send(": heartbeat\n\n")),
            HEARTBEAT_SECONDS,
            HEARTBEAT_SECONDS,
            TimeUnit.SECONDS);
  }

  private void committed(LogRecord record) {
    for (Client client : clients) {
      client.changed(record.documentId(), record.offset());
    }
  }

  /** Takes over {@code request}: the response stays open until the browser leaves or we close. */
  void open(Request request, Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Client client = new Client(response, callback);
    clients.add(client);
    // The first bytes commit the response, so the browser's EventSource reports it open.
    client.send("retry: 2000\n: open\n\n");
  }

  /** How many browsers are listening. */
  int clientCount() {
    return clients.size();
  }

  @Override
  public void close() {
    subscription.close();
    heartbeat.shutdownNow();
    clients.forEach(Client::end);
  }

  /** One browser's event stream. */
  private final class Client {
    private final Response response;
    private final Callback done;
    // Guarded by this: documents changed since the write in flight began, with their offsets.
    private final Map<String, Long> pending = new LinkedHashMap<>();
    private boolean writing;
    private boolean ended;

    Client(Response response, Callback done) {
      this.response = response;
      this.done = done;
    }

    void changed(String documentId, long offset) {
      synchronized (this) {
        pending.put(documentId, offset);
        if (writing || ended) {
          return;
        }
      }
      flush();
    }

    void send(String text) {
      synchronized (this) {
        if (writing || ended) {
          return;
        }
        writing = true;
      }
      write(text);
    }

    private void flush() {
      StringBuilder events = new StringBuilder();
      synchronized (this) {
        if (writing || ended || pending.isEmpty()) {
          return;
        }
        writing = true;
        pending.forEach(
            (doc, offset) ->
                events
                    .append("event: change\ndata: {\"doc\":\"")
                    .append(doc)
                    .append("\",\"offset\":")
                    .append(offset)
                    .append("}\n\n"));
        pending.clear();
      }
      write(events.toString());
    }

    private void write(String text) {
      response.write(
          false,
          ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
          Callback.from(
              () -> {
                synchronized (this) {
                  writing = false;
                }
                flush();
              },
              this::fail));
    }

    /** Ends the stream normally (the inspector is closing). */
    void end() {
      if (markEnded()) {
        done.succeeded();
      }
    }

    /** The browser went away or stopped reading: the stream ends with the write's failure. */
    private void fail(Throwable failure) {
      if (markEnded()) {
        done.failed(failure);
      }
    }

    private boolean markEnded() {
      synchronized (this) {
        if (ended) {
          return false;
        }
        ended = true;
      }
      clients.remove(this);
      return true;
    }
  }
}
