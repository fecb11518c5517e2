package dev.converge.core.internal.codec;

import java.util.Arrays;

/**
 * A growable byte buffer with LEB128 writes. Reusable: {@link #reset()} keeps the capacity. Not
 * thread-safe.
 */
public final class ByteWriter {
  private byte[] buffer;
  private int size;

  public ByteWriter() {
    this(64);
  }

  public ByteWriter(int initialCapacity) {
    this.buffer = new byte[Math.max(16, initialCapacity)];
  }

  public int size() {
    return size;
  }

  /** Forgets the contents and keeps the capacity. */
  public void reset() {
    size = 0;
  }

  /** Cuts the contents back to {@code newSize} bytes. */
  public void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
    }
    size = newSize;
  }

  /** The internal buffer; bytes past {@link #size()} are garbage. */
  public byte[] array() {
    return buffer;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  /** A copy of the bytes in {@code [from, to)}. */
  public byte[] copyOfRange(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + size);
    }
    return Arrays.copyOfRange(buffer, from, to);
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed < 0) {
      throw new IllegalStateException("buffer larger than 2 GiB");
    }
    if (needed > buffer.length) {
      int grown = Math.max(needed, buffer.length + (buffer.length >> 1));
      buffer = Arrays.copyOf(buffer, grown < 0 ? Integer.MAX_VALUE - 8 : grown);
    }
  }

  public void writeByte(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
  }

  public void writeBytes(byte[] bytes) {
    writeBytes(bytes, 0, bytes.length);
  }

  public void writeBytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  /** Writes {@code value}'s 64 bits as unsigned LEB128, in the shortest form. */
  public void writeUleb(long value) {
    ensure(10);
    long rest = value;
    while ((rest & ~0x7fL) != 0) {
      buffer[size++] = (byte) ((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    buffer[size++] = (byte) rest;
  }

  /** Writes {@code value} as signed LEB128, in the shortest form. */
  public void writeSleb(long value) {
    ensure(10);
    long rest = value;
    while (true) {
      int b = (int) (rest & 0x7f);
      rest >>= 7;
      if ((rest == 0 && (b & 0x40) == 0) || (rest == -1 && (b & 0x40) != 0)) {
        buffer[size++] = (byte) b;
        return;
      }
      buffer[size++] = (byte) (b | 0x80);
    }
  }

  /** Writes a uLEB length and then the bytes. */
  public void writeLengthPrefixed(byte[] bytes) {
    writeUleb(bytes.length);
    writeBytes(bytes);
  }

  /** Overwrites one byte already written. */
  public void setByte(int index, int value) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index + " of " + size);
    }
    buffer[index] = (byte) value;
  }

  /** Number of bytes {@link #writeUleb} uses for {@code value}. */
  public static int ulebSize(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Number of bytes {@link #writeSleb} uses for {@code value}. */
  public static int slebSize(long value) {
    long magnitude = value < 0 ? ~value : value;
    int bits = 65 - Long.numberOfLeadingZeros(magnitude);
    return (bits + 6) / 7;
  }
}
