package dev.converge.net.server;

import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.net.protocol.TestClient;
import dev.converge.repo.DocumentId;
import java.util.SplittableRandom;

/** What the sync server's tests make again and again: document IDs, small documents, two peers. */
final class ServerTestDocuments {
  private ServerTestDocuments() {}

  /** A document ID from {@code random}, so that a test's seed replays it. */
  static DocumentId newId(SplittableRandom random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return DocumentId.of(bytes);
  }

  /** A document holding {@code value} at {@code key} of its root. */
  static Document docWith(String key, String value) {
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, key, value));
    return doc;
  }

  /** Two joined clients of one document. */
  record Pair(TestClient a, TestClient b) {}

  /**
   * Client {@code client-a} shares {@code doc} as {@code id} and the server stores it; then client
   * {@code client-b} asks for it and has it.
   */
  static Pair syncedPair(SyncServer server, DocumentStore store, DocumentId id, Document doc) {
    TestClient a = TestClient.connect(server, "client-a");
    a.join();
    a.share(id, doc);
    TestClient.await(() -> store.find(id).isPresent(), "the server stores the document");
    TestClient b = TestClient.connect(server, "client-b");
    b.join();
    b.share(id, Document.create());
    TestClient.await(() -> b.heads(id).equals(doc.heads()), "B has the document");
    return new Pair(a, b);
  }
}
