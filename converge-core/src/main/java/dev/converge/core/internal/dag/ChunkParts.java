package dev.converge.core.internal.dag;

import dev.converge.core.ActorId;
import dev.converge.core.ChangeHash;
import java.io.ByteArrayOutputStream;

/**
 * The layout of a change chunk as the graph stores it: the header and deps it rebuilds, and the
 * tail (what follows the deps and the actor) it keeps.
 */
final class ChunkParts {
  private ChunkParts() {}

  /**
   * The exact type-1 chunk of change {@code change}: its header (magic, the first 4 bytes of its
   * hash in {@code hashes}, type, length), its deps' hashes, its actor and its tail, entry {@code
   * tail} of {@code tails}.
   */
  static byte[] chunk(
      ChangeGraph graph, PagedBytes hashes, TailStore tails, int tail, int change, ActorId actor) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(128);
    int depCount = graph.depCount(change);
    writeUleb(body, depCount);
    for (int i = 0; i < depCount; i++) {
      hashes.writeTo(body, graph.dep(change, i) * (long) ChangeHash.LENGTH, ChangeHash.LENGTH);
    }
    writeUleb(body, actor.length());
    body.writeBytes(actor.toBytes());
    tails.writeTo(tail, body);
    byte[] bodyBytes = body.toByteArray();
    ByteArrayOutputStream chunk = new ByteArrayOutputStream(bodyBytes.length + 16);
    chunk.write(0x85);
    chunk.write(0x6f);
    chunk.write(0x4a);
    chunk.write(0x83);
    hashes.writeTo(chunk, change * (long) ChangeHash.LENGTH, 4);
    chunk.write(1);
    writeUleb(chunk, bodyBytes.length);
    chunk.writeBytes(bodyBytes);
    return chunk.toByteArray();
  }

  /** Where the part of a change chunk after its deps and its actor starts. */
  static int tailOffset(byte[] chunk) {
    int[] position = {8 + 1};
    readUleb(chunk, position);
    long depCount = readUleb(chunk, position);
    position[0] += (int) depCount * ChangeHash.LENGTH;
    long actorLength = readUleb(chunk, position);
    position[0] += (int) actorLength;
    return position[0];
  }

  private static void writeUleb(ByteArrayOutputStream out, long value) {
    long rest = value;
    while ((rest & ~0x7FL) != 0) {
      out.write((int) ((rest & 0x7F) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
  }

  /** Reads the unsigned LEB128 at {@code position[0]}, moving it past. */
  static long readUleb(byte[] bytes, int[] position) {
    long result = 0;
    int shift = 0;
    while (true) {
      byte b = bytes[position[0]++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }
}
