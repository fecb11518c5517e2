package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Raw DEFLATE (RFC 1951, no zlib or gzip header), as Automerge uses for document columns and
 * compressed change chunks. Compressed bytes need not match Automerge's byte for byte; what they
 * inflate to must.
 */
public final class Deflate {
  private Deflate() {}

  /** Compresses {@code data[offset, offset + length)} at the default level. */
  public static byte[] compress(byte[] data, int offset, int length) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(data, offset, length);
      deflater.finish();
      byte[] out = new byte[Math.max(64, length / 2 + 64)];
      int size = 0;
      while (!deflater.finished()) {
        if (size == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        size += deflater.deflate(out, size, out.length - size);
      }
      return Arrays.copyOf(out, size);
    } finally {
      deflater.end();
    }
  }

  /**
   * Inflates {@code data[offset, offset + length)}.
   *
   * @param bytesMax the most the output may hold
   * @param what the chunk part, for messages
   * @throws CorruptDataException if the stream is corrupt, truncated or followed by other bytes
   * @throws LimitExceededException if the output would exceed {@code bytesMax}
   */
  public static byte[] inflate(byte[] data, int offset, int length, int bytesMax, String what) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(data, offset, length);
      byte[] out = new byte[(int) Math.min(bytesMax, Math.max(64L, 4L * length))];
      int size = 0;
      while (!inflater.finished()) {
        if (size == out.length) {
          if (size >= bytesMax) {
            throw new LimitExceededException(
                what + ": inflates to more than the limit of " + bytesMax + " bytes");
          }
          out = Arrays.copyOf(out, (int) Math.min(bytesMax, 2L * out.length));
        }
        int produced = inflater.inflate(out, size, out.length - size);
        size += produced;
        if (produced == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new CorruptDataException(
              what + ": truncated DEFLATE stream of " + length + " bytes at byte " + offset);
        }
      }
      if (inflater.getRemaining() > 0) {
        throw new CorruptDataException(
            what + ": " + inflater.getRemaining() + " bytes after the end of the DEFLATE stream");
      }
      return Arrays.copyOf(out, size);
    } catch (DataFormatException e) {
      throw new CorruptDataException(
          what + ": corrupt DEFLATE stream at byte " + offset + ": " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
