package dev.converge.core.internal.change;

import dev.converge.core.CorruptDataException;
import dev.converge.core.UnsupportedFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds chunks in bytes made of chunks laid end to end (a saved file, a sync message's changes).
 * Telling "need more bytes" apart from "invalid" lets a stream reader wait for more input without
 * consuming any.
 */
public final class Chunks {
  /** Past this, a body length cannot be a byte array's. */
  private static final long BODY_LENGTH_MAX = Integer.MAX_VALUE - 64;

  private Chunks() {}

  /**
   * Looks for one chunk at {@code data[offset, end)}.
   *
   * @return the chunk, or how many more bytes a valid prefix needs
   * @throws CorruptDataException if the bytes cannot start a chunk (bad magic, impossible length)
   * @throws UnsupportedFormatException for an unknown chunk type
   */
  public static ChunkScan scan(byte[] data, int offset, int end) {
    if (offset < 0 || end > data.length || offset > end) {
      throw new IllegalArgumentException("[" + offset + ", " + end + ") of " + data.length);
    }
    int available = end - offset;
    for (int i = 0; i < Chunk.MAGIC_LENGTH && i < available; i++) {
      if (data[offset + i] != Chunk.MAGIC[i]) {
        throw new CorruptDataException("bad chunk magic at byte " + offset);
      }
    }
    int typeAt = offset + Chunk.HASHED_FROM;
    if (available <= Chunk.HASHED_FROM) {
      return new ChunkScan.Incomplete(Chunk.HASHED_FROM + 2 - available);
    }
    int code = data[typeAt] & 0xff;
    ChunkType type = ChunkType.fromCode(code);
    if (type == null) {
      throw new UnsupportedFormatException("unknown chunk type " + code + " at byte " + typeAt);
    }
    long length = 0;
    int position = typeAt + 1;
    for (int shift = 0; ; shift += 7) {
      if (position >= end) {
        return new ChunkScan.Incomplete(1);
      }
      int b = data[position++] & 0xff;
      if ((shift == 35 && (b & 0xf0) != 0) || shift > 35) {
        throw new CorruptDataException("chunk length too large at byte " + (typeAt + 1));
      }
      length |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new CorruptDataException("overlong chunk length at byte " + (typeAt + 1));
        }
        break;
      }
    }
    if (length > BODY_LENGTH_MAX) {
      throw new CorruptDataException(
          "chunk length " + length + " at byte " + (typeAt + 1) + " is too large");
    }
    int headerLength = position - offset;
    long missing = headerLength + length - available;
    if (missing > 0) {
      return new ChunkScan.Incomplete((int) Math.min(missing, Integer.MAX_VALUE));
    }
    return new ChunkScan.Complete(new Chunk(type, data, offset, headerLength, (int) length));
  }

  /**
   * Splits {@code data} into its chunks. Checksums are not checked here.
   *
   * @throws CorruptDataException if the bytes are not whole chunks end to end
   * @throws UnsupportedFormatException for an unknown chunk type
   */
  public static List<Chunk> split(byte[] data) {
    List<Chunk> chunks = new ArrayList<>();
    int offset = 0;
    while (offset < data.length) {
      ChunkScan scan = scan(data, offset, data.length);
      if (scan instanceof ChunkScan.Complete complete) {
        chunks.add(complete.chunk());
        offset = complete.chunk().end();
      } else if (scan instanceof ChunkScan.Incomplete incomplete) {
        throw new CorruptDataException(
            "truncated chunk at byte "
                + offset
                + ": "
                + (data.length - offset)
                + " bytes present, at least "
                + incomplete.bytesNeeded()
                + " more needed");
      } else {
        throw new AssertionError(scan);
      }
    }
    return chunks;
  }

  /**
   * The single chunk that {@code data} must consist of.
   *
   * @throws CorruptDataException if {@code data} is truncated, malformed or longer than one chunk
   */
  public static Chunk single(byte[] data) {
    ChunkScan scan = scan(data, 0, data.length);
    if (scan instanceof ChunkScan.Incomplete incomplete) {
      throw new CorruptDataException(
          "truncated chunk: "
              + data.length
              + " bytes present, at least "
              + incomplete.bytesNeeded()
              + " more needed");
    }
    Chunk chunk = ((ChunkScan.Complete) scan).chunk();
    if (chunk.end() != data.length) {
      throw new CorruptDataException(
          (data.length - chunk.end()) + " bytes after the chunk that ends at byte " + chunk.end());
    }
    return chunk;
  }
}
