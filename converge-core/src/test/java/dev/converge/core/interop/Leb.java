package dev.converge.core.interop;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** LEB128 for the test-side file editors: shortest-form writers and a strict, bounded reader. */
final class Leb {
  private Leb() {}

  static void writeUnsigned(ByteArrayOutputStream out, long value) {
    long rest = value;
    while ((rest & ~0x7fL) != 0) {
      out.write((int) ((rest & 0x7f) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
  }

  static void writeSigned(ByteArrayOutputStream out, long value) {
    long rest = value;
    while (true) {
      int b = (int) (rest & 0x7f);
      rest >>= 7;
      boolean done = (rest == 0 && (b & 0x40) == 0) || (rest == -1 && (b & 0x40) != 0);
      out.write(done ? b : b | 0x80);
      if (done) {
        return;
      }
    }
  }

  /** Reads from a byte array; throws {@link IllegalArgumentException} past its end. */
  static final class Reader {
    private final byte[] bytes;
    private final int end;
    int position;

    Reader(byte[] bytes) {
      this(bytes, 0, bytes.length);
    }

    Reader(byte[] bytes, int position, int end) {
      this.bytes = bytes;
      this.position = position;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    int remaining() {
      return end - position;
    }

    long unsigned() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = next();
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("uLEB too long");
    }

    long signed() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = next();
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (shift + 7 < 64 && (b & 0x40) != 0) {
            value |= -1L << (shift + 7);
          }
          return value;
        }
      }
      throw new IllegalArgumentException("sLEB too long");
    }

    byte[] bytes(long length) {
      if (length < 0 || length > end - position) {
        throw new IllegalArgumentException("length " + length + " past the end");
      }
      byte[] out = Arrays.copyOfRange(bytes, position, position + (int) length);
      position += (int) length;
      return out;
    }

    private int next() {
      if (position >= end) {
        throw new IllegalArgumentException("past the end");
      }
      return bytes[position++] & 0xff;
    }
  }
}
