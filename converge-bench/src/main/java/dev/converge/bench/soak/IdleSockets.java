package dev.converge.bench.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A thousand idle sockets on one selector thread, each reopened as soon as the server closes it, so
 * that the server always has about {@code count} of them to time out: a third connect and send
 * nothing, a third trickle an upgrade request one header line every 2 s, a third upgrade and never
 * send {@code join}. They come from {@code addresses}, round robin, to stay under the server's
 * per-address cap and test its timeouts instead.
 */
final class IdleSockets implements AutoCloseable {
  private enum Kind {
    SILENT,
    TRICKLE,
    UNJOINED
  }

  private static final class Slot {
    final Kind kind;
    final InetAddress from;
    @Nullable SocketChannel channel; // null while it could not reopen
    long nextLineNanos;
    int lines;

    Slot(Kind kind, InetAddress from, @Nullable SocketChannel channel) {
      this.kind = kind;
      this.from = from;
      this.channel = channel;
    }
  }

  private final int port;
  private final String upgrade;
  private final List<Slot> slots = new ArrayList<>();
  private final Selector selector;
  private final Thread thread;
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closedByServer = new AtomicLong();
  private volatile boolean running = true;

  /** {@code token}: the bearer token the upgraded ones present, so that they are upgraded. */
  IdleSockets(int port, String token, int count, List<InetAddress> addresses) throws IOException {
    this.port = port;
    this.upgrade =
        String.join(
            "\r\n",
            "GET / HTTP/1.1",
            "Host: 127.0.0.1",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
            "Authorization: Bearer " + token,
            "",
            "");
    this.selector = Selector.open();
    for (int i = 0; i < count; i++) {
      Kind kind = Kind.values()[i % 3];
      InetAddress from = addresses.get(i % addresses.size());
      slots.add(new Slot(kind, from, open(kind, from)));
    }
    this.thread = new Thread(this::run, "soak-idle-sockets");
    thread.setDaemon(true);
    thread.start();
  }

  long opened() {
    return opened.get();
  }

  long closedByServer() {
    return closedByServer.get();
  }

  private SocketChannel open(Kind kind, InetAddress from) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.bind(new InetSocketAddress(from, 0));
    channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    channel.configureBlocking(false);
    opened.incrementAndGet();
    if (kind == Kind.TRICKLE) {
      write(channel, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    } else if (kind == Kind.UNJOINED) {
      write(channel, upgrade);
    }
    return channel;
  }

  private static void write(SocketChannel channel, String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) == 0) {
        return; // the socket's buffer is full: an idle socket does not wait
      }
    }
  }

  private void run() {
    ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    try {
      for (Slot slot : slots) {
        SocketChannel channel = slot.channel;
        if (channel != null) {
          channel.register(selector, SelectionKey.OP_READ, slot);
        }
      }
      while (running) {
        selector.select(200);
        for (SelectionKey key : selector.selectedKeys()) {
          Slot slot = (Slot) key.attachment();
          SocketChannel channel = (SocketChannel) key.channel();
          sink.clear();
          int read;
          try {
            read = channel.read(sink);
          } catch (IOException reset) {
            read = -1;
          }
          if (read < 0) {
            key.cancel();
            channel.close();
            closedByServer.incrementAndGet();
            reopen(slot);
          }
        }
        selector.selectedKeys().clear();
        trickle();
      }
    } catch (IOException e) {
      if (running) {
        throw new java.io.UncheckedIOException("idle sockets failed", e);
      }
    }
  }

  private void reopen(Slot slot) throws IOException {
    if (!running) {
      return;
    }
    slot.channel = null;
    try {
      SocketChannel channel = open(slot.kind, slot.from);
      slot.channel = channel;
      slot.lines = 0;
      channel.register(selector, SelectionKey.OP_READ, slot);
    } catch (IOException refused) {
      // Refused before it was open: the slot tries again on the next round, 200 ms on.
    }
  }

  private void trickle() throws IOException {
    long now = System.nanoTime();
    for (Slot slot : slots) {
      SocketChannel channel = slot.channel;
      if (channel == null || !channel.isOpen()) {
        reopen(slot);
        continue;
      }
      if (slot.kind == Kind.TRICKLE && now >= slot.nextLineNanos) {
        slot.nextLineNanos = now + TimeUnit.SECONDS.toNanos(2);
        try {
          write(channel, "X-Idle-" + slot.lines++ + ": 1\r\n");
        } catch (IOException closed) {
          channel.close(); // reopened on the next round
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Slot slot : slots) {
      SocketChannel channel = slot.channel;
      if (channel != null) {
        channel.close();
      }
    }
    selector.close();
  }
}
