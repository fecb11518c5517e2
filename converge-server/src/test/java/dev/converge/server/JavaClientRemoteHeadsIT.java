package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.core.ChangeHash;
import dev.converge.net.client.DocumentUnavailableException;
import dev.converge.net.client.RemoteHeadsEvent;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote-heads gossip to a Java client through {@code converge serve}: an automerge-repo 2.5.6
 * writer with storage in Node ({@code interop/repo/remote-heads-writer.mjs}) creates and edits a
 * document; a Java {@link RepoPeer} that syncs it and subscribed to the writer's storage ID hears
 * the writer's heads, first those the server knew when it subscribed, then those of each edit,
 * without ever connecting to the writer. Waits are bounded polls; nothing is timed.
 */
class JavaClientRemoteHeadsIT {
  @TempDir Path data;

  @Test
  void throughConvergeServe_javaSubscribedToAJsWritersStorage_hearsItsHeads() throws Exception {
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0));
        Repo repo = Repo.inMemory();
        RepoPeer peer =
            new RepoPeer(repo, RepoPeerOptions.of("java-watcher", new SplittableRandom(9)))) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      NodeClient writer = NodeClient.startScript("repo/remote-heads-writer.mjs", true, ws);
      JsonNode created = writer.readLine();
      String writerStorage = created.get("storageId").asText();
      DocumentId id = AutomergeUrl.parse(created.get("url").asText()).documentId();

      peer.connect(new WebSocketDialer(URI.create(ws), WebSocketDialerOptions.DEFAULT));
      JavaClientIT.await(() -> peer.connectedPeers().size() == 1, "the Java client connects");
      List<RemoteHeadsEvent> heard = new CopyOnWriteArrayList<>();
      peer.addRemoteHeadsListener(id, heard::add);
      DocHandle doc = find(peer, id);
      peer.subscribeToRemotes(List.of(writerStorage));
      awaitHeard(heard, JavaClientIT.texts(created.get("heads")), "on subscribing");

      writer.writeLine("edit");
      JsonNode edited = writer.readLine();
      awaitHeard(heard, JavaClientIT.texts(edited.get("heads")), "after the edit");
      RemoteHeadsEvent last = heard.get(heard.size() - 1);
      assertEquals(writerStorage, last.storageId());
      assertEquals(id, last.documentId());
      JavaClientIT.await(
          () -> JavaClientIT.hexHeads(doc).equals(JavaClientIT.texts(edited.get("heads"))),
          "the Java copy syncs the edit too");
      writer.writeLine("done");
      assertEquals("done", writer.result().get("event").asText());
    }
  }

  /** Finds {@code id}, asking again while the server does not serve it yet. */
  private static DocHandle find(RepoPeer peer, DocumentId id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return peer.find(id).get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof DocumentUnavailableException)
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static void awaitHeard(List<RemoteHeadsEvent> heard, List<String> heads, String when) {
    JavaClientIT.await(
        () -> !heard.isEmpty() && hex(heard.get(heard.size() - 1).heads()).equals(heads),
        "the writer's heads " + heads + " are heard " + when + "; heard " + heard);
  }

  private static List<String> hex(List<ChangeHash> heads) {
    List<String> hex = new ArrayList<>();
    for (ChangeHash head : heads) {
      hex.add(head.toHex());
    }
    hex.sort(null);
    return hex;
  }
}
