package dev.converge.core.internal.change;

import dev.converge.core.internal.codec.ByteWriter;
import java.security.MessageDigest;
import java.util.Arrays;

/** Builds chunks around hand-made bodies, with a correct checksum unless told otherwise. */
public final class TestChunks {
  private TestChunks() {}

  public static byte[] frame(int type, byte[] body) {
    ByteWriter out = new ByteWriter();
    out.writeBytes(new byte[] {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83, 0, 0, 0, 0});
    out.writeByte(type);
    out.writeUleb(body.length);
    out.writeBytes(body);
    byte[] chunk = out.toByteArray();
    fixChecksum(chunk);
    return chunk;
  }

  /** Recomputes the checksum of a chunk whose body was edited. */
  public static void fixChecksum(byte[] chunk) {
    MessageDigest sha256 = ChangeChunks.newSha256();
    sha256.update(chunk, 8, chunk.length - 8);
    System.arraycopy(sha256.digest(), 0, chunk, 4, 4);
  }

  /** The body of a single chunk. */
  public static byte[] body(byte[] chunk) {
    Chunk parsed = Chunks.single(chunk);
    return Arrays.copyOfRange(chunk, parsed.bodyOffset(), parsed.end());
  }
}
