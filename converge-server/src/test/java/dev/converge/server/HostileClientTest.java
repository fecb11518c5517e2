package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.PeerMetadata;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a client with a valid token attacks {@code converge serve} over real WebSockets (the
 * JDK's client), each attack as it got through before the fix: taking over another user's peer ID,
 * minting metric labels, forging log lines, storing documents from nothing, relaying ephemeral data
 * that is not CBOR, and identifiers long enough to fill the heap once remembered. The server runs
 * with a token file (alice, bob, mallory; one document for alice and bob only); its log is captured
 * from stderr ({@link LogCapture}). Waits are bounded polls; nothing asserts a duration.
 */
class HostileClientTest {
  private static final String ALICE = "alice-secret-0123456789";
  private static final String BOB = "bob-secret-0123456789ab";
  private static final String MALLORY = "mallory-secret-0123456789";
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final Pattern TIMESTAMPED =
      Pattern.compile(
          "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) .*");

  @TempDir Path data;
  @TempDir Path config;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SplittableRandom random = new SplittableRandom(16);
  private final DocumentId restricted = randomId();
  private ConvergeServer server;
  private LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    Path tokens = config.resolve("tokens");
    Files.writeString(
        tokens,
        "token alice "
            + ALICE
            + "\ntoken bob "
            + BOB
            + "\ntoken mallory "
            + MALLORY
            + "\ndoc "
            + restricted
            + " alice bob\n",
        StandardCharsets.UTF_8);
    logs = new LogCapture();
    server = ConvergeServer.start(ServerOptions.defaults(data, 0).withTokenFile(tokens));
  }

  @AfterEach
  void stop() {
    try {
      server.close();
    } finally {
      logs.close();
    }
  }

  private DocumentId randomId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return DocumentId.of(bytes);
  }

  private WsClient client(String secret) throws Exception {
    return new WsClient(http, server.port(), "", "Bearer " + secret);
  }

  private String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A frame of any {@code type}, as a client that ignores the protocol would write it. */
  private static byte[] frame(String type, String senderId) throws Exception {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", type);
    fields.put("senderId", senderId);
    fields.put("targetId", "server");
    return CBOR.writeValueAsBytes(fields);
  }

  private static RepoMessage.Request request(String peer, DocumentId id) {
    return new RepoMessage.Request(peer, "server", id, Bytes.fromHex("42000001000000020284"));
  }

  /** Peer ID takeover: mallory joins with the peer ID alice is connected with. */
  @Test
  void join_withThePeerIdOfAnotherUsersConnection_isRefused_theVictimStays() throws Exception {
    try (WsClient alice = client(ALICE);
        WsClient mallory = client(MALLORY)) {
      alice.join("alice-laptop");
      mallory.send(new Join("alice-laptop", PeerMetadata.ephemeral(), List.of("1")));
      ProtocolError error = assertInstanceOf(ProtocolError.class, mallory.next());
      assertTrue(error.message().contains("belongs to another user"), error.message());
      assertTrue(mallory.awaitClosed(), "mallory's connection is closed");

      alice.send(request("alice-laptop", randomId()));
      assertInstanceOf(DocUnavailable.class, alice.next(), "alice is still connected");
      assertTrue(metrics().contains("converge_protocol_errors_total{kind=\"peer-id-taken\"} 1.0"));
      logs.await(
          "naming both users",
          line ->
              line.contains("refused join peer=alice-laptop user=mallory")
                  && line.contains("belongs to user=alice"));
    }
  }

  /** The other half of a takeover: squatting on a peer ID while its owner is offline. */
  @Test
  void join_withThePeerIdOfAnotherUserWhoIsOffline_isRefused_theOwnerGetsItBack() throws Exception {
    try (WsClient alice = client(ALICE)) {
      alice.join("alice-laptop");
    }
    awaitNoConnections();
    try (WsClient mallory = client(MALLORY)) {
      mallory.send(new Join("alice-laptop", PeerMetadata.ephemeral(), List.of("1")));
      assertInstanceOf(ProtocolError.class, mallory.next());
    }
    try (WsClient alice = client(ALICE)) {
      alice.join("alice-laptop");
    }
  }

  @Test
  void join_withThePeerIdOfTheSameUsersOlderConnection_replacesIt() throws Exception {
    try (WsClient before = client(ALICE);
        WsClient after = client(ALICE)) {
      before.join("alice-laptop");
      after.join("alice-laptop"); // a reconnect: the same user
      assertTrue(before.awaitClosed(), "the older connection is replaced");
      after.send(request("alice-laptop", randomId()));
      assertInstanceOf(DocUnavailable.class, after.next());
    }
  }

  /** Metric labels from client input: every unknown type counts as "other". */
  @Test
  void messagesOfUnknownTypes_countAsOther_metricsStaySmall() throws Exception {
    int sizeBefore = metrics().length();
    for (int i = 0; i < 5; i++) {
      try (WsClient early = client(MALLORY)) { // before join: closed after each
        early.send(frame("label-" + i + "-" + "x".repeat(10_000), "mallory"));
        assertInstanceOf(ProtocolError.class, early.next());
      }
    }
    try (WsClient joined = client(MALLORY)) {
      joined.join("mallory");
      for (int i = 0; i < 100; i++) {
        joined.send(frame("joined-" + i + "-" + "y".repeat(10_000), "mallory"));
      }
      joined.send(request("mallory", randomId())); // answered after every frame before it
      assertInstanceOf(DocUnavailable.class, joined.next());
    }
    String metrics = metrics();
    assertFalse(metrics.contains("label-") || metrics.contains("joined-"), "no client text");
    assertTrue(metrics.contains("converge_messages_received_total{type=\"other\"} 105.0"), metrics);
    assertTrue(
        metrics.length() < sizeBefore + 200,
        "/metrics grew from " + sizeBefore + " to " + metrics.length() + " characters");
  }

  /** Log amplification and injection: a 1 MiB type with line breaks before join. */
  @Test
  void typeBeforeJoin_isCutAndEscaped_inTheLogAndTheErrorMessage() throws Exception {
    String type = "evil\nFORGED-LINE admin logged in\r\n\u202e" + "A".repeat(1 << 20);
    try (WsClient mallory = client(MALLORY)) {
      mallory.send(frame(type, "mallory\nFORGED-PEER"));
      ProtocolError error = assertInstanceOf(ProtocolError.class, mallory.next());
      assertTrue(error.message().length() < 400, "error of " + error.message().length());
      assertTrue(
          error.message().contains("evil\\nFORGED-LINE admin logged in\\r\\n\\u202e"),
          error.message());
      assertFalse(error.message().contains("\n") || error.message().contains("\u202e"));
      String line = logs.await("for no-join", text -> text.contains("error=no-join"));
      assertTrue(line.length() < 1000, "a log line of " + line.length());
      assertTrue(line.contains("evil\\nFORGED-LINE"), line);
      assertTrue(
          logs.lines().stream().noneMatch(text -> text.startsWith("FORGED")), "no forged line");
    }
  }

  /** Errors echoed parser internals ({@code at [Source: (byte[])...}). */
  @Test
  void malformedCbor_errorSaysWhatIsWrong_withoutParserInternals() throws Exception {
    try (WsClient mallory = client(MALLORY)) {
      mallory.join("mallory");
      mallory.send(new byte[] {(byte) 0xb9, 0x00, 0x05, 0x64, 't', 'y'});
      ProtocolError error = assertInstanceOf(ProtocolError.class, mallory.next());
      assertTrue(error.message().startsWith("frame is not valid CBOR: "), error.message());
      assertFalse(
          error.message().contains("Source") || error.message().contains("byte[]"),
          error.message());
    }
  }

  /** Documents from nothing: syncs with heads for unknown IDs left empty rows behind. */
  @Test
  void syncWithHeadsForUnknownDocuments_storesNothing_aChangeStoresTheDocument() throws Exception {
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "title", "real"));
    SyncMessage first = Sync.generate(doc, new SyncState()).orElseThrow();
    try (WsClient mallory = client(MALLORY)) {
      mallory.join("mallory");
      for (int i = 0; i < 50; i++) {
        mallory.send(
            new RepoMessage.Sync("mallory", "server", randomId(), Bytes.of(first.encode())));
        mallory.next(RepoMessage.Sync.class); // the server asks for the changes, never sent
      }
    }
    awaitNoConnections();
    assertEquals(List.of(), server.repo().list(), "nothing stored from heads alone");

    DocumentId real = randomId();
    try (WsClient alice = client(ALICE)) {
      alice.join("alice");
      SyncState state = new SyncState();
      Optional<SyncMessage> next = Sync.generate(doc, state);
      while (next.isPresent()) {
        alice.send(new RepoMessage.Sync("alice", "server", real, Bytes.of(next.get().encode())));
        RepoMessage.Sync reply = alice.next(RepoMessage.Sync.class);
        Sync.receiveMessage(doc, state, reply.data().toArray());
        next = Sync.generate(doc, state);
      }
    }
    awaitNoConnections();
    assertEquals(List.of(real), server.repo().list());
    assertEquals(doc.heads(), server.repo().find(real).orElseThrow().heads());
  }

  /** Ephemeral payloads were relayed without checking they are CBOR. */
  @Test
  void ephemeralWhoseDataIsNotCbor_closesTheSender_andIsNotRelayed() throws Exception {
    DocHandle shared = server.repo().create();
    shared.change(tx -> tx.put(ObjId.ROOT, "topic", "presence"));
    try (WsClient bob = client(BOB);
        WsClient mallory = client(MALLORY);
        WsClient alice = client(ALICE)) {
      for (var entry : List.of(Map.entry(bob, "bob"), Map.entry(mallory, "mallory"))) {
        entry.getKey().join(entry.getValue());
        entry.getKey().send(request(entry.getValue(), shared.id()));
        entry.getKey().next(RepoMessage.Sync.class);
      }
      mallory.send(
          new Ephemeral("mallory", "server", shared.id(), Bytes.fromHex("ff00ff"), 1, "session-m"));
      ProtocolError error =
          assertInstanceOf(ProtocolError.class, mallory.next(ProtocolError.class));
      assertTrue(error.message().contains("not one well-formed CBOR item"), error.message());

      alice.join("alice");
      alice.send(request("alice", shared.id()));
      alice.next(RepoMessage.Sync.class);
      alice.send(
          new Ephemeral("alice", "server", shared.id(), Bytes.fromHex("a0"), 1, "session-a"));
      Ephemeral relayed = bob.next(Ephemeral.class);
      assertEquals("alice", relayed.senderId(), "bob got alice's, and never mallory's");
    }
  }

  /** Identifiers the server remembers (here a session ID) are bounded in length. */
  @Test
  void ephemeralWithAHugeSessionId_closesTheSender() throws Exception {
    DocHandle shared = server.repo().create();
    shared.change(tx -> tx.put(ObjId.ROOT, "topic", "presence"));
    try (WsClient mallory = client(MALLORY)) {
      mallory.join("mallory");
      mallory.send(request("mallory", shared.id()));
      mallory.next(RepoMessage.Sync.class);
      mallory.send(
          new Ephemeral(
              "mallory", "server", shared.id(), Bytes.fromHex("a0"), 1, "s".repeat(1 << 20)));
      ProtocolError error = mallory.next(ProtocolError.class);
      assertTrue(
          error.message().startsWith("sessionId is 1048576 characters long"), error.message());
    }
  }

  /** Denied access was not logged; log lines had no timestamps. */
  @Test
  void deniedAccess_isLoggedWithTheUser_onTimestampedLines() throws Exception {
    try (WsClient mallory = client(MALLORY)) {
      mallory.join("mallory");
      mallory.send(request("mallory", restricted));
      assertInstanceOf(DocUnavailable.class, mallory.next());
    }
    String line =
        logs.await(
            "for the denial",
            text ->
                text.contains("access denied user=mallory")
                    && text.contains(restricted.toString()));
    assertTrue(TIMESTAMPED.matcher(line).matches(), line);
    List<String> serverLines = new ArrayList<>();
    for (String text : logs.lines()) {
      if (text.contains("SyncServer") || text.contains("ConvergeServer")) {
        serverLines.add(text);
      }
    }
    assertFalse(serverLines.isEmpty());
    assertTrue(
        serverLines.stream().allMatch(text -> TIMESTAMPED.matcher(text).matches()),
        serverLines.toString());
  }

  private void awaitNoConnections() throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!metrics().contains("converge_connections_active 0.0")) {
      assertTrue(System.nanoTime() < deadline, "connections still open: " + metrics());
      Thread.sleep(20);
    }
  }
}
