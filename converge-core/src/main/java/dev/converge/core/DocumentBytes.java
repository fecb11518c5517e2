package dev.converge.core;

import dev.converge.core.internal.document.DocumentChunk;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The byte forms of a document's state that {@link Document}'s saves return: the whole document as
 * one document chunk followed by the changes still queued, and the changes some heads have not seen
 * as concatenated change chunks. The caller holds the document's lock.
 */
final class DocumentBytes {
  private DocumentBytes() {}

  /** The whole document as one document chunk, then the queued changes, as Automerge saves. */
  static byte[] whole(DocumentState state, boolean compress) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk =
        DocumentChunk.encode(DocumentContents.of(state.graph(), state.opSet()), compress);
    out.write(chunk, 0, chunk.length);
    for (Change queued : state.queue().changes()) {
      queued.writeTo(out);
    }
    return out.toByteArray();
  }

  /** The applied changes {@code heads} have not seen, as concatenated change chunks. */
  static byte[] changesSince(DocumentState state, List<ChangeHash> heads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Change change : state.graph().changesSince(heads)) {
      change.writeTo(out);
    }
    return out.toByteArray();
  }
}
