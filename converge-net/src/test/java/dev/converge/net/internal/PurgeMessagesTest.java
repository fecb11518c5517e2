package dev.converge.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.core.ObjId;
import dev.converge.net.protocol.MalformedMessageException;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.TestClient;
import dev.converge.net.server.DocumentStore;
import dev.converge.net.server.NetworkObserver;
import dev.converge.net.server.SyncServer;
import dev.converge.net.server.SyncServerOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The purge messages on the wire: they round-trip through {@link MessageCodec} as messages of a
 * type automerge-repo does not know, a malformed one is refused with a typed exception, and a
 * server given a purge message without a valid document ID closes the connection with an error and
 * purges nothing.
 */
class PurgeMessagesTest {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private final DocumentId id = DocumentId.random(new SplittableRandom(11));

  @Test
  void message_throughCodec_decodesAsUnknownWithItsDocument() {
    MessageCodec codec = new MessageCodec();
    RepoMessage.Unknown sent = PurgeMessages.message(PurgeMessages.PURGE, "a", "server", id);

    RepoMessage decoded = codec.decode(codec.encode(sent));

    RepoMessage.Unknown unknown = assertInstanceOf(RepoMessage.Unknown.class, decoded);
    assertEquals(PurgeMessages.PURGE, unknown.type());
    assertEquals("a", unknown.senderId());
    assertEquals(id, PurgeMessages.documentId(unknown));
  }

  @Test
  void documentId_missingOrMalformed_typedRefusal() throws Exception {
    for (Object value : new Object[] {null, 42, "not-a-document-id", ""}) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("type", PurgeMessages.PURGE);
      fields.put("senderId", "a");
      fields.put("targetId", "server");
      if (value != null) {
        fields.put("documentId", value);
      }
      RepoMessage.Unknown message =
          (RepoMessage.Unknown) new MessageCodec().decode(CBOR.writeValueAsBytes(fields));
      assertThrows(MalformedMessageException.class, () -> PurgeMessages.documentId(message));
    }
  }

  @Test
  void server_purgeWithoutDocumentId_closesConnectionAndPurgesNothing() throws Exception {
    try (Repo repo = Repo.inMemory()) {
      DocHandle doc = repo.create();
      doc.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      SyncServer server =
          new SyncServer(
              DocumentStore.of(repo),
              SyncServerOptions.of("server", "storage-server"),
              NetworkObserver.NONE);
      TestClient client = TestClient.connect(server, "hostile");
      client.join();
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("type", PurgeMessages.PURGE);
      fields.put("senderId", "hostile");
      fields.put("targetId", "server");
      fields.put("documentId", "zz");
      client.sendRaw(CBOR.writeValueAsBytes(fields));

      assertTrue(client.awaitClosed(Duration.ofSeconds(10)), "the server closes the connection");
      assertFalse(repo.isPurged(doc.id()));
      assertTrue(repo.find(doc.id()).isPresent());
      server.close();
    }
  }
}
