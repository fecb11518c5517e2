package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.converge.core.ObjId;
import dev.converge.net.client.EphemeralMessage;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.protocol.Bytes;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ephemeral messages between a Java {@link RepoPeer} and a real automerge-repo 2.5.6 client in Node
 * ({@code interop/repo/ephemeral.mjs}, using {@code handle.broadcast} and the {@code
 * ephemeral-message} event) on one document, both ways, through {@code converge serve} and through
 * the JavaScript sync server ({@code interop/repo/sync-server.mjs}). Java creates the document, the
 * JS client opens it and says so, Java broadcasts, the JS client prints what it heard and answers
 * with two broadcasts, which the Java listener hears in order. Waits are bounded polls; nothing is
 * timed.
 */
class EphemeralInteropIT {
  private static final CBORMapper CBOR = new CBORMapper();

  @TempDir Path data;

  @Test
  void throughConvergeServe_javaAndJsBroadcast_eachHearsTheOther() throws Exception {
    InteropServers.throughConvergeServe(data, EphemeralInteropIT::exchange);
  }

  @Test
  void throughJsSyncServer_javaAndJsBroadcast_eachHearsTheOther() throws Exception {
    InteropServers.throughJsSyncServer(EphemeralInteropIT::exchange);
  }

  private static void exchange(String ws) throws Exception {
    try (Repo repo = Repo.inMemory();
        RepoPeer peer = JavaClientIT.javaClient(repo, ws)) {
      DocHandle doc = peer.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "title", "presence"));
      List<EphemeralMessage> heard = new CopyOnWriteArrayList<>();
      peer.addEphemeralListener(doc.id(), heard::add);

      NodeClient js = NodeClient.startScript("repo/ephemeral.mjs", true, ws, doc.url().toString());
      JsonNode opened = js.readLine();
      assertEquals("opened", opened.get("event").asText());
      String jsPeerId = opened.get("peerId").asText();

      ObjectNode hello = JsonNodeFactory.instance.objectNode().put("from", "java").put("n", 7);
      JavaClientIT.await(
          () -> peer.broadcast(doc.id(), Bytes.of(cbor(hello))) == 1, "the server syncs it");
      JsonNode received = js.readLine();
      assertEquals("received", received.get("event").asText());
      assertEquals("java-client", received.get("senderId").asText());
      assertEquals(hello, received.get("message"));

      JavaClientIT.await(() -> heard.size() == 2, "the Java client hears both JS broadcasts");
      for (int i = 0; i < 2; i++) {
        EphemeralMessage message = heard.get(i);
        assertEquals(jsPeerId, message.senderId());
        assertEquals(doc.id(), message.documentId());
        JsonNode value = CBOR.readTree(message.data().toArray());
        assertEquals("js", value.get("from").asText());
        assertEquals(7 + i, value.get("n").asInt());
      }
      js.writeLine("done");
      assertEquals("done", js.result().get("event").asText());
      assertEquals(2, heard.size(), "nothing heard twice");
    }
  }

  private static byte[] cbor(JsonNode value) {
    try {
      return CBOR.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
