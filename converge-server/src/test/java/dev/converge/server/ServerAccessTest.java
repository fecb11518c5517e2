package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.net.client.DocumentUnavailableException;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code converge serve --token-file}: bearer tokens on the WebSocket upgrade (header, or the
 * {@code token} query parameter for browsers) and documents restricted to named tokens. Java
 * clients ({@link RepoPeer} over the JDK WebSocket dialer) play alice, bob and strangers.
 */
class ServerAccessTest {
  private static final String ALICE = "alice-secret-0123456789";
  private static final String BOB = "bob-secret-0123456789ab";

  @TempDir Path data;
  @TempDir Path config;
  private final SplittableRandom random = new SplittableRandom(3);
  private final HttpClient http = HttpClient.newHttpClient();
  private DocumentId secret = DocumentId.of(new byte[16]);
  private ConvergeServer server;

  @BeforeEach
  void start() throws Exception {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    secret = DocumentId.of(bytes);
    Path tokens = config.resolve("tokens");
    Files.writeString(
        tokens,
        "# who may connect\n"
            + "token alice "
            + ALICE
            + "\ntoken bob "
            + BOB
            + "   # bob's laptop\n\n"
            + "doc "
            + secret
            + " alice\n",
        StandardCharsets.UTF_8);
    server = ConvergeServer.start(ServerOptions.defaults(data, 0).withTokenFile(tokens));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String ws(String query) {
    return "ws://127.0.0.1:" + server.port() + "/" + query;
  }

  private int upgradeStatus(String uri, String authorization) throws Exception {
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (!authorization.isEmpty()) {
      builder.header("Authorization", authorization);
    }
    try {
      builder
          .buildAsync(URI.create(uri), new WebSocket.Listener() {})
          .get(10, TimeUnit.SECONDS)
          .abort();
      return 101;
    } catch (ExecutionException e) {
      return assertInstanceOf(WebSocketHandshakeException.class, e.getCause())
          .getResponse()
          .statusCode();
    }
  }

  private RepoPeer client(Repo repo, String name, URI uri, WebSocketDialerOptions options) {
    RepoPeer peer = new RepoPeer(repo, RepoPeerOptions.of(name, random.split()));
    peer.connect(new WebSocketDialer(uri, options));
    JavaClientIT.await(() -> peer.connectedPeers().size() == 1, name + " connects");
    return peer;
  }

  private String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void upgrade_withoutOrWithAWrongToken_is401_withOneInHeaderOrQuery_isAccepted() throws Exception {
    assertEquals(401, upgradeStatus(ws(""), ""));
    assertEquals(401, upgradeStatus(ws(""), "Bearer not-a-known-secret-at-all"));
    assertEquals(401, upgradeStatus(ws("?token=not-a-known-secret-at-all"), ""));
    assertEquals(101, upgradeStatus(ws(""), "Bearer " + ALICE));
    assertEquals(101, upgradeStatus(ws("?token=" + BOB), ""));
    assertTrue(metrics().contains("converge_upgrades_unauthorized_total 3.0"), metrics());
  }

  @Test
  void restrictedDocument_otherTokenGetsUnavailable_neverTheContent_andCannotWrite()
      throws Exception {
    try (Repo aliceRepo = Repo.inMemory();
        Repo bobRepo = Repo.inMemory();
        RepoPeer alice =
            client(
                aliceRepo,
                "alice",
                URI.create(ws("")),
                WebSocketDialerOptions.DEFAULT.withBearerToken(ALICE));
        RepoPeer bob =
            client(
                bobRepo, "bob", URI.create(ws("?token=" + BOB)), WebSocketDialerOptions.DEFAULT)) {
      DocHandle mine = aliceRepo.findOrCreate(secret);
      mine.change(tx -> tx.put(ObjId.ROOT, "plan", "alice only"));
      alice.share(mine);
      JavaClientIT.await(
          () -> server.repo().find(secret).map(h -> h.heads().equals(mine.heads())).orElse(false),
          "the server stores alice's document");

      ExecutionException failure =
          assertThrows(ExecutionException.class, () -> bob.find(secret).get(30, TimeUnit.SECONDS));
      assertInstanceOf(DocumentUnavailableException.class, failure.getCause());
      assertTrue(
          bobRepo.find(secret).map(h -> h.heads().isEmpty()).orElse(true), "bob got nothing of it");

      DocHandle forged = bobRepo.findOrCreate(secret);
      forged.change(tx -> tx.put(ObjId.ROOT, "plan", "bob was here"));
      bob.share(forged);
      JavaClientIT.await(
          () -> {
            try {
              return metrics().contains("converge_access_denied_total 2.0");
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          },
          "the server refused bob's request and bob's changes");
      DocHandle stored = server.repo().find(secret).orElseThrow();
      assertEquals(mine.heads(), stored.heads());
      assertTrue(stored.toJson().contains("alice only") && !stored.toJson().contains("bob"));

      DocHandle open = bob.create(); // documents without a doc line: any named client
      open.change(tx -> tx.put(ObjId.ROOT, "note", "from bob"));
      JavaClientIT.await(
          () ->
              server.repo().find(open.id()).map(h -> h.heads().equals(open.heads())).orElse(false),
          "the server stores bob's own document");
    }
  }
}
