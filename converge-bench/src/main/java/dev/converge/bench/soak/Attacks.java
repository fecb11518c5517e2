package dev.converge.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.repo.DocumentId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every attack of issue 16, plus floods, oversize frames, bad tokens and denied requests, each a
 * loop on its own thread until the deadline, from attacker addresses taken round robin. What each
 * attempt got back is counted in a {@link Tally} under {@code attack.outcome}: the soak reports
 * those counts, and an outcome that means an attack got through (a takeover accepted) fails it.
 */
final class Attacks {
  private static final MessageCodec CODEC = new MessageCodec();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final Bytes EMPTY_REQUEST = Bytes.fromHex("42000001000000020284");

  /** What the attacks aim at. */
  record Targets(
      int port,
      String token,
      String victimPeerId,
      DocumentId restricted,
      DocumentId room,
      List<InetAddress> addresses,
      InetAddress crowded,
      int ephemeralPerSecond) {}

  private final Targets targets;
  private final Tally tally;
  private final long deadlineNanos;
  private final AtomicInteger nextAddress = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  Attacks(Targets targets, Tally tally, long deadlineNanos) {
    this.targets = targets;
    this.tally = tally;
    this.deadlineNanos = deadlineNanos;
  }

  @FunctionalInterface
  private interface Attempt {
    void run(SplittableRandom random) throws IOException, InterruptedException;
  }

  /** Starts every attack. */
  void start() {
    loop("takeover", 1000, this::takeover);
    loop("labels", 500, this::labels);
    loop("log-injection", 500, this::logInjection);
    loop("docs-from-nothing", 1000, this::documentsFromNothing);
    loop("flood", 2000, this::flood);
    loop("oversize", 10_000, this::oversize);
    loop("malformed", 1000, this::malformed);
    loop("bad-token", 500, this::badToken);
    loop("denied", 1000, this::denied);
    loop("address-cap", 15_000, this::addressCap);
    loop("fan-out", 0, this::fanOut);
  }

  void join() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(120));
    }
  }

  private void loop(String name, long periodMillis, Attempt attempt) {
    SplittableRandom random = new SplittableRandom(name.hashCode());
    Thread thread =
        new Thread(
            () -> {
              while (System.nanoTime() < deadlineNanos) {
                try {
                  attempt.run(random);
                  tally.add(name + ".attempts");
                } catch (IOException e) {
                  tally.add(name + ".io-error");
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                try {
                  Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            },
            "soak-attack-" + name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private InetAddress address() {
    List<InetAddress> all = targets.addresses();
    return all.get(Math.floorMod(nextAddress.getAndIncrement(), all.size()));
  }

  private SoakSocket connect() throws IOException {
    return new SoakSocket(address(), targets.port(), targets.token());
  }

  private static byte[] join(String peerId) {
    return CODEC.encode(new RepoMessage.Join(peerId, PeerMetadata.ephemeral(), List.of("1")));
  }

  /** The server's next message, decoded; empty if it closed. */
  private static Optional<RepoMessage> next(SoakSocket socket) throws IOException {
    Optional<byte[]> frame = socket.readMessage();
    return frame.isEmpty() ? Optional.empty() : Optional.of(CODEC.decode(frame.get()));
  }

  /** Counts the kind of the server's next answer: peer, error, closed, or another type. */
  private void answer(String attack, SoakSocket socket) throws IOException {
    Optional<RepoMessage> reply = next(socket);
    tally.add(attack + "." + reply.map(RepoMessage::type).orElse("closed"));
  }

  private void takeover(SplittableRandom random) throws IOException {
    try (SoakSocket socket = connect()) {
      socket.send(join(targets.victimPeerId()));
      answer("takeover", socket); // "takeover.peer" would mean it got through
    }
  }

  private static byte[] frame(String type, String senderId) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", type);
    fields.put("senderId", senderId);
    fields.put("targetId", "server");
    return CBOR.writeValueAsBytes(fields);
  }

  private void labels(SplittableRandom random) throws IOException {
    try (SoakSocket socket = connect()) {
      socket.send(join("labels-" + random.nextInt()));
      answer("labels-join", socket);
      for (int i = 0; i < 20; i++) {
        socket.send(frame("type-" + random.nextLong() + "-" + "x".repeat(10_000), "labels"));
      }
    }
    try (SoakSocket early = connect()) {
      early.send(frame("early-" + random.nextLong(), "labels"));
      answer("labels-before-join", early);
    }
  }

  private void logInjection(SplittableRandom random) throws IOException {
    try (SoakSocket socket = connect()) {
      socket.send(
          frame("evil\nFORGED-LINE admin logged in\r\n\u202e" + "A".repeat(1 << 20), "x\ny"));
      answer("log-injection", socket);
    }
  }

  private void documentsFromNothing(SplittableRandom random) throws IOException {
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "seed", random.nextLong()));
    byte[] first = Sync.generate(doc, new SyncState()).orElseThrow().encode();
    try (SoakSocket socket = connect()) {
      String peer = "nothing-" + random.nextInt();
      socket.send(join(peer));
      socket.drainInBackground();
      for (int i = 0; i < 50; i++) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        socket.send(
            CODEC.encode(new RepoMessage.Sync(peer, "server", DocumentId.of(id), Bytes.of(first))));
        tally.add("docs-from-nothing.sent");
      }
    }
  }

  private void flood(SplittableRandom random) throws IOException {
    try (SoakSocket socket = connect()) {
      String peer = "flood-" + random.nextInt();
      socket.send(join(peer));
      socket.drainInBackground();
      byte[] request =
          CODEC.encode(
              new RepoMessage.Request(peer, "server", DocumentId.of(new byte[16]), EMPTY_REQUEST));
      // 3,000 messages in one write: they arrive faster than the 1,000 a second allowed.
      socket.sendMany(request, 3000);
      tally.add("flood.sent-3000");
    }
  }

  private void oversize(SplittableRandom random) throws IOException {
    try (SoakSocket socket = connect()) {
      socket.send(join("oversize-" + random.nextInt()));
      answer("oversize-join", socket);
      socket.sendZeros((64L << 20) + 1);
      answer("oversize", socket);
    }
  }

  private void malformed(SplittableRandom random) throws IOException {
    try (SoakSocket socket = connect()) {
      socket.send(join("malformed-" + random.nextInt()));
      answer("malformed-join", socket);
      socket.send(new byte[] {(byte) 0xb9, 0x00, 0x05, 0x64, 't', 'y'});
      answer("malformed-cbor", socket);
    }
    try (SoakSocket socket = connect()) {
      String peer = "malformed-" + random.nextInt();
      socket.send(join(peer));
      answer("malformed-join", socket);
      socket.send(
          CODEC.encode(new RepoMessage.Request(peer, "server", targets.room(), EMPTY_REQUEST)));
      socket.send(
          CODEC.encode(
              new RepoMessage.Ephemeral(
                  peer, "server", targets.room(), Bytes.fromHex("ff00ff"), 1, "s")));
      socket.send(
          CODEC.encode(
              new RepoMessage.Ephemeral(
                  peer, "server", targets.room(), Bytes.fromHex("a0"), 2, "s".repeat(1 << 16))));
      for (int i = 0; i < 3; i++) {
        Optional<RepoMessage> reply = next(socket);
        if (reply.isEmpty() || reply.get() instanceof RepoMessage.ProtocolError) {
          tally.add("malformed-ephemeral." + reply.map(RepoMessage::type).orElse("closed"));
          break;
        }
      }
    }
  }

  private void badToken(SplittableRandom random) {
    try {
      new SoakSocket(address(), targets.port(), "not-a-token-" + random.nextLong()).close();
      tally.add("bad-token.accepted");
    } catch (IOException refused) {
      tally.add(
          String.valueOf(refused.getMessage()).contains("401")
              ? "bad-token.401"
              : "bad-token.other");
    }
  }

  private void denied(SplittableRandom random) throws IOException {
    try (SoakSocket socket = connect()) {
      String peer = "denied-" + random.nextInt();
      socket.send(join(peer));
      answer("denied-join", socket);
      socket.send(
          CODEC.encode(
              new RepoMessage.Request(peer, "server", targets.restricted(), EMPTY_REQUEST)));
      answer("denied", socket); // "denied.sync" would mean the content was sent
    }
  }

  /** 100 connections from one address: the server's cap lets 64 of them open. */
  private void addressCap(SplittableRandom random) throws InterruptedException {
    List<SoakSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        try {
          open.add(new SoakSocket(targets.crowded(), targets.port(), targets.token()));
          tally.add("address-cap.opened");
        } catch (IOException refused) {
          tally.add("address-cap.refused");
        }
      }
      Thread.sleep(5_000);
    } finally {
      for (SoakSocket socket : open) {
        socket.close();
      }
    }
  }

  /**
   * Twelve readers that never read join the room; a writer sends 512 KiB ephemeral messages to it,
   * {@code ephemeralPerSecond} a second, for 5 s; then everyone starts over (readers the server
   * evicted come back).
   */
  private void fanOut(SplittableRandom random) throws IOException, InterruptedException {
    List<SoakSocket> readers = new ArrayList<>();
    try (SoakSocket writer = connect()) {
      for (int i = 0; i < 12; i++) {
        SoakSocket reader = connect();
        readers.add(reader);
        String peer = "reader-" + random.nextInt();
        reader.send(join(peer));
        reader.send(
            CODEC.encode(new RepoMessage.Request(peer, "server", targets.room(), EMPTY_REQUEST)));
      }
      String peer = "writer-" + random.nextInt();
      writer.send(join(peer));
      writer.send(
          CODEC.encode(new RepoMessage.Request(peer, "server", targets.room(), EMPTY_REQUEST)));
      writer.drainInBackground();
      Bytes payload = cborBytes(512 << 10);
      long start = System.nanoTime();
      long pauseNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, targets.ephemeralPerSecond());
      String session = "session-" + random.nextInt();
      for (int count = 1; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5); count++) {
        writer.send(
            CODEC.encode(
                new RepoMessage.Ephemeral(
                    peer, "server", targets.room(), payload, count, session)));
        tally.add("fan-out.sent");
        long due = start + count * pauseNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
    } finally {
      for (SoakSocket reader : readers) {
        reader.close();
      }
    }
  }

  /** One CBOR byte string of {@code length} bytes. */
  private static Bytes cborBytes(int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 5);
    out.write(0x5a);
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write(length >>> shift);
    }
    out.writeBytes(new byte[length]);
    return Bytes.of(out.toByteArray());
  }
}
