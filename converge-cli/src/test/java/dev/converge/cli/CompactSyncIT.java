package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.sqlite.IfMissing;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction through a server, as users type it: two repositories (alice, bob) hold one document
 * whose history holds a canary; alice compacts it and syncs; the server then refuses the old ID but
 * keeps its copy (bob, a known replica, has not moved); bob syncs, is told where it moved, fetches
 * the successor and drops his old copy, and with that every known replica has moved, so the server
 * purges its copy too. Before, the canary is in the three directories (so the scan can fail);
 * after, in no file of any, and both repositories read the old URL as the new document.
 */
class CompactSyncIT {
  private static final String CANARY = "zqsynccompact4711";

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
  void compact_throughServe_serverPurgesOnceEveryReplicaMoved() throws IOException {
    Path alice = root.resolve("alice");
    Path bob = root.resolve("bob");
    Path serverData = root.resolve("server");
    ok("init", alice.toString());
    ok("init", bob.toString());
    String old = ok("new", alice.toString(), "{\"secret\":\"" + CANARY + "\",\"title\":\"t\"}");
    ok("put", alice.toString(), old, "/secret", "\"gone\"");
    copyDocument(alice, bob, AutomergeUrl.parse(old).documentId());
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(serverData, 0))) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      ok("sync", alice.toString(), ws);
      ok("sync", bob.toString(), ws);
      for (Path dir : List.of(alice, bob, serverData)) {
        assertFalse(filesHolding(dir, CANARY).isEmpty(), "the canary must be in " + dir);
      }

      String successor = ok("compact", alice.toString(), old);
      assertEquals(List.of(), filesHolding(alice, CANARY));
      assertEquals("1 documents in sync (0 sealed) with " + ws, ok("sync", alice.toString(), ws));
      DocumentId oldId = AutomergeUrl.parse(old).documentId();
      assertFalse(server.repo().isPurged(oldId), "bob has not moved yet");
      assertFalse(filesHolding(serverData, CANARY).isEmpty());

      assertEquals("1 documents in sync (0 sealed) with " + ws, ok("sync", bob.toString(), ws));

      assertTrue(server.repo().isPurged(oldId), "every known replica moved");
      assertEquals(AutomergeUrl.parse(successor).documentId(), server.repo().resolve(oldId));
      for (Path dir : List.of(alice, bob, serverData)) {
        assertEquals(List.of(), filesHolding(dir, CANARY), "canary in " + dir);
      }
      assertEquals("{\"secret\":\"gone\",\"title\":\"t\"}", ok("get", bob.toString(), old));
      assertEquals(ok("get", alice.toString(), successor), ok("get", bob.toString(), old));
    }
  }

  /** Bob gets the document as a replica would: its changes, under the same ID. */
  private static void copyDocument(Path from, Path to, DocumentId id) {
    List<dev.converge.core.Change> changes;
    try (Repo source = Repo.open(from, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE))) {
      changes = source.find(id).orElseThrow().changes();
    }
    try (Repo target = Repo.open(to, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE))) {
      DocHandle copy = target.findOrCreate(id);
      copy.applyChanges(changes);
      copy.whenDurable().join();
    }
  }

  private static List<String> filesHolding(Path root, String canary) throws IOException {
    String needle =
        new String(canary.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (text.contains(needle)) {
          holding.add(root.relativize(file).toString());
        }
      }
    }
    return holding;
  }
}
