package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sealed-document commands end to end, as a user types them (issue 17): {@code new --sealed},
 * {@code join}, {@code sync}, {@code get} by link, {@code whoami}, {@code members}, against a
 * {@link ConvergeServer} on 127.0.0.1 in this JVM; each command runs in process with its output
 * captured.
 */
class SealedCommandsIT {
  @TempDir Path root;

  record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        ConvergeCommand.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Result(exit, out.toString().strip(), err.toString().strip());
  }

  private static String ok(String... args) {
    Result result = run(args);
    assertEquals(0, result.exit(), String.join(" ", args) + ": " + result.err());
    return result.out();
  }

  @Test
  void twoRepositories_sealedAndPlaintext_throughServe_converge_thenRemoval() {
    String alice = root.resolve("alice").toString();
    String bob = root.resolve("bob").toString();
    ok("init", alice);
    ok("init", bob);
    String link = ok("new", alice, "--sealed", "{\"title\":\"plans\"}");
    assertTrue(link.startsWith("converge-sealed:") && !link.contains("\n"), link);
    String plainUrl = ok("new", alice, "{\"kind\":\"plain\"}");
    try (ConvergeServer server =
        ConvergeServer.start(ServerOptions.defaults(root.resolve("server"), 0))) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      assertEquals("2 documents in sync (1 sealed) with " + ws, ok("sync", alice, ws));
      String url = ok("join", bob, link);
      assertTrue(url.startsWith("automerge:"), url);
      assertEquals("1 documents in sync (1 sealed) with " + ws, ok("sync", bob, ws));
      assertEquals("{\"title\":\"plans\"}", ok("get", bob, link));
      assertEquals("\"plans\"", ok("get", bob, url, "/title"));
      ok("put", bob, url, "/by", "\"bob\"");
      ok("sync", bob, ws);
      ok("sync", alice, ws);
      assertEquals("{\"by\":\"bob\",\"title\":\"plans\"}", ok("get", alice, link));
      assertEquals("{\"kind\":\"plain\"}", ok("get", alice, plainUrl));

      String bobKey = ok("whoami", bob);
      assertEquals(bobKey, ok("whoami", bob), "the device key stays");
      List<String> members = ok("members", alice, url).lines().toList();
      assertEquals(3, members.size(), members.toString());
      assertTrue(members.contains(bobKey + " device"), members.toString());
      assertTrue(members.stream().anyMatch(line -> line.endsWith(" device this-device")));
      assertTrue(members.stream().anyMatch(line -> line.endsWith(" invite")));

      ok("members", alice, link, "remove", bobKey);
      assertTrue(ok("members", alice, url).contains(bobKey + " device removing"));
      ok("sync", alice, ws);
      assertFalse(ok("members", alice, url).contains(bobKey));
      ok("put", alice, url, "/after", "\"removal\"");
      ok("sync", alice, ws);
      Result removed = run("sync", bob, ws);
      assertEquals(1, removed.exit(), removed.out());
      assertEquals(1, removed.err().lines().count(), removed.err());
      assertTrue(removed.err().startsWith("converge: 1 of 1 documents not in sync"), removed.err());
      assertFalse(ok("get", bob, url).contains("removal"));
    }
  }

  @Test
  void sync_withTokenFile_needsTheToken() throws IOException {
    String alice = root.resolve("alice").toString();
    ok("init", alice);
    ok("new", alice, "--sealed", "{\"title\":\"plans\"}");
    Path tokens = root.resolve("tokens");
    Files.writeString(tokens, "token alice s3cret-alice-0123456789\n");
    try (ConvergeServer server =
        ConvergeServer.start(
            ServerOptions.defaults(root.resolve("server"), 0).withTokenFile(tokens))) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      Result refused = run("sync", alice, ws);
      assertEquals(1, refused.exit());
      assertTrue(refused.err().startsWith("converge: cannot connect"), refused.err());
      assertEquals(1, refused.err().lines().count(), refused.err());
      assertEquals(
          "1 documents in sync (1 sealed) with " + ws,
          ok("sync", alice, ws, "--token", "s3cret-alice-0123456789"));
    }
  }

  @Test
  void join_badSecret_neverPrintsIt() {
    String alice = root.resolve("alice").toString();
    ok("init", alice);
    Result result = run("join", alice, "converge-sealed:4NMNnkMhL8jXrdJ9jamS58PAVdXu#0topsecret0");
    assertEquals(1, result.exit());
    assertFalse(result.err().contains("topsecret"), result.err());
  }
}
