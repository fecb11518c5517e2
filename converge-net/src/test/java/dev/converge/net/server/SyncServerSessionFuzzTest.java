package dev.converge.net.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.CodecLimits;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.spi.ConnectionHandler;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes one {@link SyncServer} session with arbitrary frames, then checks that a well-behaved
 * client on the same server still syncs a document.
 *
 * <p>How: the input is a run of frames, each a two-byte big-endian length and that many bytes (the
 * last one takes what is left). The test plays the transport, on its own thread and with no clock
 * of its own: it hands each frame to the session's handler ({@code onOversizedFrame} for one over
 * the frame limit, as a transport drops those unread), stops once the session closes the
 * connection, and then reports the close as a transport would. The server's clock stands still, so
 * the 33rd frame meets the rate limit. Checked for every input:
 *
 * <ul>
 *   <li>no exception escapes the handler (one would fail the run);
 *   <li>a frame that does not decode, or is over the limit, is answered with a {@code error} frame
 *       and the connection is closed; every close the server makes follows an {@code error} frame,
 *       unless the peer's own last frame was one; every frame the server sends decodes;
 *   <li>memory is bounded: the bytes the session's thread allocates stay under {@link
 *       #ALLOCATED_BYTES_BASE} plus {@link #ALLOCATED_BYTES_PER_BYTE} per input byte, what the
 *       server sends stays under {@link #SENT_BYTES_BASE} plus {@link #SENT_BYTES_PER_BYTE} per
 *       input byte, the server stores at most {@link #DOCUMENTS_PER_CONNECTION_MAX} documents, and
 *       holds no session once the connection is closed;
 *   <li>afterwards a second client joins the same server and syncs a document to equal heads.
 * </ul>
 *
 * <p>Under {@code mvn test} Jazzer replays the seeds in {@code
 * src/test/resources/dev/converge/net/server/SyncServerSessionFuzzTestInputs/session/}: sessions
 * captured between JavaScript automerge-repo peers, cut, spliced and mangled. To explore, run
 * {@code JAZZER_FUZZ=1 mvn -pl converge-net test -Dtest=SyncServerSessionFuzzTest}. Every input
 * that ever broke a session belongs in that folder.
 */
class SyncServerSessionFuzzTest {
  /** Small, so that the fuzzer reaches every limit cheaply. */
  private static final CodecLimits LIMITS = new CodecLimits(1 << 14, 16, 1 << 14);

  static final int DOCUMENTS_PER_CONNECTION_MAX = 4;
  private static final int MESSAGES_PER_SECOND_MAX = 32;

  /** What one session may allocate besides what grows with its input: the repo, the server. */
  static final long ALLOCATED_BYTES_BASE = 8 << 20;

  /** Per input byte: decoding, applying and answering a change costs a few hundred bytes a byte. */
  static final long ALLOCATED_BYTES_PER_BYTE = 1024;

  /** The answers to a session: {@code peer}, an error, a few {@code doc-unavailable}. */
  static final long SENT_BYTES_BASE = 16 << 10;

  /** A sync answer carries back at most the changes the peer sent, re-encoded. */
  static final long SENT_BYTES_PER_BYTE = 4;

  private static final MessageCodec CODEC = new MessageCodec(LIMITS);
  private static final MessageCodec ANSWER_CODEC = new MessageCodec(CodecLimits.DEFAULT);
  private static final String SERVER_ID = "server";
  private static final String WELL_BEHAVED_ID = "well-behaved";
  private static final DocumentId WELL_BEHAVED_DOCUMENT =
      DocumentId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  private static final int SYNC_ROUNDS_MAX = 16;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "60s")
  void session(byte[] input) {
    List<byte[]> frames = frames(input);
    // The first run of an input loads and initialises classes on this thread, which would count
    // as allocation; the second pays only for the input.
    runOnFreshServer(frames, input.length, Measure.NOT_ALLOCATION);
    runOnFreshServer(frames, input.length, Measure.ALLOCATION);
  }

  private enum Measure {
    ALLOCATION,
    NOT_ALLOCATION
  }

  private static void runOnFreshServer(List<byte[]> frames, int inputBytes, Measure measure) {
    Repo repo = Repo.inMemory();
    SyncServer server =
        new SyncServer(
            DocumentStore.of(repo),
            SyncServerOptions.of(SERVER_ID, "server-storage")
                .withCodecLimits(LIMITS)
                .withDocumentsPerConnectionMax(DOCUMENTS_PER_CONNECTION_MAX)
                .withMessagesPerSecondMax(MESSAGES_PER_SECOND_MAX),
            NetworkObserver.NONE,
            () -> 0L);
    try {
      long threadId = Thread.currentThread().getId();
      long before = THREADS.getThreadAllocatedBytes(threadId);
      RecordingConnection hostile = new RecordingConnection("hostile");
      feed(server.accept(hostile), hostile, frames);
      long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
      if (measure == Measure.ALLOCATION) {
        assertUnder(
            allocated, ALLOCATED_BYTES_BASE + ALLOCATED_BYTES_PER_BYTE * inputBytes, "allocated");
      }
      assertUnder(hostile.sentBytes(), SENT_BYTES_BASE + SENT_BYTES_PER_BYTE * inputBytes, "sent");
      assertEquals(0, server.connectionCount(), "sessions left after the close");
      assertTrue(
          repo.list().size() <= DOCUMENTS_PER_CONNECTION_MAX,
          () -> "the server stores " + repo.list().size() + " documents for one connection");
      assertWellBehavedClientSyncs(server, repo);
    } finally {
      server.close();
      repo.close();
    }
  }

  /** Plays the transport: each frame to the handler until the server closes, then the close. */
  private static void feed(
      ConnectionHandler handler, RecordingConnection connection, List<byte[]> frames) {
    for (byte[] frame : frames) {
      if (frame.length > LIMITS.frameBytesMax()) {
        handler.onOversizedFrame(frame.length);
      } else {
        handler.onFrame(frame);
      }
      Optional<RepoMessage> lastSent = lastOf(decodeAll(connection.takeSent()));
      Optional<RepoMessage> received = decoded(frame);
      if (received.isEmpty()) {
        assertTrue(connection.closeReason().isPresent(), "a bad frame left the connection open");
        assertInstanceOf(ProtocolError.class, lastSent.orElse(null), "the answer to a bad frame");
      }
      if (connection.closeReason().isPresent()) {
        if (!(received.orElse(null) instanceof ProtocolError)) {
          assertInstanceOf(ProtocolError.class, lastSent.orElse(null), "the frame before a close");
        }
        break;
      }
    }
    connection.close("test done");
    handler.onClose(connection.closeReason().orElseThrow());
  }

  /**
   * A client as a JavaScript Repo behaves joins the server and syncs a document it made, on the
   * test's thread: every answer the server sends is taken in before the client's next message.
   */
  private static void assertWellBehavedClientSyncs(SyncServer server, Repo repo) {
    RecordingConnection connection = new RecordingConnection(WELL_BEHAVED_ID);
    ConnectionHandler handler = server.accept(connection);
    handler.onFrame(
        CODEC.encode(new Join(WELL_BEHAVED_ID, PeerMetadata.ephemeral(), List.of("1"))));
    assertInstanceOf(
        RepoMessage.Peer.class,
        lastOf(decodeAll(connection.takeSent())).orElse(null),
        "the answer to join");
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "k", "v"));
    SyncState state = new SyncState();
    Optional<byte[]> next = Sync.generateMessage(doc, state);
    for (int round = 0; next.isPresent(); round++) {
      assertTrue(round < SYNC_ROUNDS_MAX, "sync did not end within " + SYNC_ROUNDS_MAX + " rounds");
      handler.onFrame(
          CODEC.encode(
              new RepoMessage.Sync(
                  WELL_BEHAVED_ID, SERVER_ID, WELL_BEHAVED_DOCUMENT, Bytes.of(next.get()))));
      for (RepoMessage answer : decodeAll(connection.takeSent())) {
        assertTrue(!(answer instanceof ProtocolError), () -> "the server refused: " + answer);
        if (answer instanceof RepoMessage.Sync sync
            && sync.documentId().equals(WELL_BEHAVED_DOCUMENT)) {
          Sync.receiveMessage(doc, state, sync.data().toArray());
        }
      }
      next = Sync.generateMessage(doc, state);
    }
    assertEquals(doc.heads(), repo.find(WELL_BEHAVED_DOCUMENT).orElseThrow().heads());
    assertTrue(connection.closeReason().isEmpty(), "the well-behaved client was closed");
  }

  /** Splits an input into frames, each a two-byte big-endian length and that many bytes. */
  static List<byte[]> frames(byte[] input) {
    List<byte[]> frames = new ArrayList<>();
    int offset = 0;
    while (offset < input.length) {
      if (input.length - offset < 2) {
        frames.add(Arrays.copyOfRange(input, offset, input.length));
        break;
      }
      int length = ((input[offset] & 0xff) << 8) | (input[offset + 1] & 0xff);
      int start = offset + 2;
      int end = Math.min(input.length, start + length);
      frames.add(Arrays.copyOfRange(input, start, end));
      offset = end;
    }
    return frames;
  }

  /** The message in {@code frame}, or empty if the server's codec refuses it. */
  private static Optional<RepoMessage> decoded(byte[] frame) {
    try {
      return Optional.of(CODEC.decode(frame));
    } catch (ConvergeException refused) {
      return Optional.empty();
    }
  }

  /** Decodes what the server sent: a frame that does not decode fails the run. */
  private static List<RepoMessage> decodeAll(List<byte[]> frames) {
    List<RepoMessage> messages = new ArrayList<>();
    for (byte[] frame : frames) {
      messages.add(ANSWER_CODEC.decode(frame));
    }
    return messages;
  }

  private static Optional<RepoMessage> lastOf(List<RepoMessage> messages) {
    return messages.isEmpty() ? Optional.empty() : Optional.of(messages.get(messages.size() - 1));
  }

  private static void assertUnder(long value, long bound, String what) {
    assertTrue(value <= bound, () -> "the session " + what + " " + value + " bytes, over " + bound);
  }
}
