package dev.converge.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.core.ChangeHash;
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
import dev.converge.repo.spi.Forward;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The compaction messages on the wire: they round-trip through {@link MessageCodec} as messages of
 * a type automerge-repo does not know; a malformed one (a field missing or of the wrong type, a bad
 * ID or hash, a document forwarded to itself, too many heads) is refused with a typed exception;
 * and a server given a malformed one closes the connection and records no link.
 */
class ForwardMessagesTest {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private final SplittableRandom random = new SplittableRandom(12);
  private final DocumentId old = DocumentId.random(random);
  private final DocumentId successor = DocumentId.random(random);
  private final ChangeHash head = ChangeHash.fromHex("ab".repeat(32));

  @Test
  void message_throughCodec_decodesToTheSameLink() {
    MessageCodec codec = new MessageCodec();
    Forward forward = new Forward(old.toString(), successor.toString(), List.of(head));
    RepoMessage.Unknown sent =
        ForwardMessages.message(ForwardMessages.COMPACTED, "a", "server", forward);

    RepoMessage decoded = codec.decode(codec.encode(sent));

    RepoMessage.Unknown unknown = assertInstanceOf(RepoMessage.Unknown.class, decoded);
    assertEquals(ForwardMessages.COMPACTED, unknown.type());
    assertEquals(forward, ForwardMessages.forward(unknown));
  }

  @Test
  void forward_malformedFields_typedRefusal() throws Exception {
    List<Map<String, Object>> bad =
        List.of(
            fields(null, successor.toString(), List.of(head.toHex())),
            fields(old.toString(), 42, List.of(head.toHex())),
            fields(old.toString(), "not-a-document-id", List.of(head.toHex())),
            fields(old.toString(), old.toString(), List.of(head.toHex())),
            fields(old.toString(), successor.toString(), "heads"),
            fields(old.toString(), successor.toString(), List.of("zz")),
            fields(old.toString(), successor.toString(), List.of(7)),
            fields(
                old.toString(),
                successor.toString(),
                Collections.nCopies(ForwardMessages.HEADS_MAX + 1, head.toHex())));
    for (Map<String, Object> fields : bad) {
      RepoMessage.Unknown message =
          (RepoMessage.Unknown) new MessageCodec().decode(CBOR.writeValueAsBytes(fields));
      assertThrows(
          MalformedMessageException.class,
          () -> ForwardMessages.forward(message),
          fields.toString());
    }
  }

  @Test
  void server_malformedCompacted_closesConnectionAndRecordsNothing() throws Exception {
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
      client.sendRaw(
          CBOR.writeValueAsBytes(fields(doc.id().toString(), doc.id().toString(), List.of())));

      assertTrue(client.awaitClosed(Duration.ofSeconds(10)), "the server closes the connection");
      assertEquals(List.of(), repo.forwards());
      assertFalse(repo.isPurged(doc.id()));
      server.close();
    }
  }

  private static Map<String, Object> fields(
      @org.jspecify.annotations.Nullable Object documentId, Object successorId, Object heads) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", ForwardMessages.COMPACTED);
    fields.put("senderId", "hostile");
    fields.put("targetId", "server");
    if (documentId != null) {
      fields.put("documentId", documentId);
    }
    fields.put("successorId", successorId);
    fields.put("heads", heads);
    return fields;
  }
}
