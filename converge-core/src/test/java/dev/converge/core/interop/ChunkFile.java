package dev.converge.core.interop;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A file as its chunks, for tests that edit one chunk and keep the rest consistent: after a change
 * chunk is edited its hash changes, so the deps of the change chunks after it are pointed at the
 * new hash (kept sorted), and so on down the chain.
 */
final class ChunkFile {
  final List<byte[]> chunks;

  private ChunkFile(List<byte[]> chunks) {
    this.chunks = chunks;
  }

  /** The chunks of {@code file}; bytes after the last chunk that parses are one more piece. */
  static ChunkFile of(byte[] file) {
    List<byte[]> pieces = new ArrayList<>();
    int offset = 0;
    while (offset < file.length) {
      ChunkSurgery.Header header = ChunkSurgery.Header.parse(file, offset);
      if (header == null) {
        pieces.add(Arrays.copyOfRange(file, offset, file.length));
        break;
      }
      pieces.add(Arrays.copyOfRange(file, offset, header.end()));
      offset = header.end();
    }
    return new ChunkFile(pieces);
  }

  /**
   * Whether chunk {@code index} is a document or change chunk that {@link EditableChunk} parses.
   */
  boolean editable(int index) {
    return EditableChunk.parse(chunks.get(index), 0).isPresent();
  }

  /** Edits chunk {@code index} and relinks the change chunks after it. */
  ChunkFile edit(int index, Consumer<EditableChunk> edit) {
    EditableChunk chunk = EditableChunk.parse(chunks.get(index), 0).orElseThrow();
    edit.accept(chunk);
    replace(index, chunk.encode());
    return this;
  }

  /** Puts {@code bytes} in place of chunk {@code index} and relinks the change chunks after it. */
  ChunkFile replace(int index, byte[] bytes) {
    byte[] before = chunks.get(index);
    chunks.set(index, bytes);
    relink(index, EditableChunk.changeHash(before), EditableChunk.changeHash(bytes));
    return this;
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    chunks.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private void relink(int which, byte[] oldHash, byte[] newHash) {
    if (Arrays.equals(oldHash, newHash)) {
      return;
    }
    for (int i = which + 1; i < chunks.size(); i++) {
      Optional<EditableChunk> later = EditableChunk.parse(chunks.get(i), 0);
      if (later.isEmpty() || later.get().type != 1) {
        continue;
      }
      List<byte[]> deps = later.get().hashes;
      if (deps.stream().noneMatch(h -> Arrays.equals(h, oldHash))) {
        continue;
      }
      deps.replaceAll(h -> Arrays.equals(h, oldHash) ? newHash : h);
      deps.sort(Arrays::compareUnsigned);
      byte[] oldLater = chunks.get(i);
      chunks.set(i, later.get().encode());
      relink(i, EditableChunk.changeHash(oldLater), EditableChunk.changeHash(chunks.get(i)));
    }
  }
}
