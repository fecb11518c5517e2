package dev.converge.core;

import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.ChunkType;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.document.DecodedDocument;
import dev.converge.core.internal.document.DocumentChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading saved bytes into a document: a document chunk, change chunks, or both concatenated. Every
 * chunk is decoded and checked against the {@link LoadOptions} before any change is applied, so bad
 * bytes change nothing.
 */
final class DocumentLoading {
  private DocumentLoading() {}

  /**
   * Loads {@code bytes} into the empty {@code state} of a document nobody else sees yet, as {@link
   * Document#load(byte[], LoadOptions, ActorId, HybridClock)} promises.
   */
  static void loadInto(DocumentState state, byte[] bytes, LoadOptions options) {
    List<Chunk> chunks = Chunks.split(bytes);
    boolean startsWithDocument = !chunks.isEmpty() && chunks.get(0).type() == ChunkType.DOCUMENT;
    List<Change> changes = new ArrayList<>();
    DocumentChunk.DecodeOptions decodeOptions = DocumentContents.decodeOptions(options);
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      if (chunk.type() == ChunkType.DOCUMENT) {
        if (i == 0) {
          state.loadStored(
              DocumentChunk.decode(chunk, decodeOptions),
              DecodedDocument.storedBodies(chunk, decodeOptions));
        } else if (!state.graph().containsAll(DocumentChunk.heads(chunk, decodeOptions))) {
          // As JavaScript: a later document chunk whose heads the document has is not read on.
          changes.addAll(DocumentChunk.decode(chunk, decodeOptions).reconstructChanges());
        }
      } else {
        changes.add(decodeChange(chunk, options));
      }
      requireChangesAtMost(changes, options, "file");
    }
    state.apply(changes, true);
    List<ChangeHash> missing = state.queue().missing();
    if (!startsWithDocument && !missing.isEmpty()) {
      throw new MissingDependenciesException(missing);
    }
  }

  /**
   * Applies {@code bytes} to {@code doc}, as {@link Document#loadIncremental} promises. Decoding
   * runs outside the document's lock; each step that touches the document takes it.
   */
  static int loadIncremental(Document doc, byte[] bytes, LoadOptions options) {
    List<Change> changes = new ArrayList<>();
    DocumentChunk.DecodeOptions decodeOptions = DocumentContents.decodeOptions(options);
    int loadedStored = 0;
    for (Chunk chunk : Chunks.split(bytes)) {
      if (chunk.type() == ChunkType.DOCUMENT) {
        DecodedDocument decoded = DocumentChunk.decode(chunk, decodeOptions);
        if (changes.isEmpty()
            && doc.loadStoredIfEmpty(decoded, DecodedDocument.storedBodies(chunk, decodeOptions))) {
          loadedStored = doc.changeCount();
        } else {
          changes.addAll(decoded.reconstructChanges());
        }
      } else {
        changes.add(decodeChange(chunk, options));
      }
      requireChangesAtMost(changes, options, "input");
    }
    return loadedStored + doc.applyChanges(changes);
  }

  private static Change decodeChange(Chunk chunk, LoadOptions options) {
    return ChangeChunks.decode(chunk, options.inflatedBytesMax(), options.opsMax());
  }

  private static void requireChangesAtMost(List<Change> changes, LoadOptions options, String what) {
    if (changes.size() > options.opsMax()) {
      throw new LimitExceededException(what + " holds more than " + options.opsMax() + " changes");
    }
  }
}
