package dev.converge.repo.sealed;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the big-endian fields of one sealed-format value; the counterpart of {@link WireReader}.
 */
final class WireWriter {
  private byte[] buffer;
  private int length;

  WireWriter(int capacity) {
    this.buffer = new byte[Math.max(16, capacity)];
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      long grown = Math.max((long) buffer.length * 2, (long) length + more);
      if (grown > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("a sealed-format value above 2 GiB");
      }
      buffer = Arrays.copyOf(buffer, (int) grown);
    }
  }

  int length() {
    return length;
  }

  WireWriter u8(int value) {
    ensure(1);
    buffer[length++] = (byte) value;
    return this;
  }

  WireWriter u16(int value) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException("u16 out of range: " + value);
    }
    ensure(2);
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
    return this;
  }

  WireWriter u32(long value) {
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException("u32 out of range: " + value);
    }
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  WireWriter u64(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (value >>> shift);
    }
    return this;
  }

  WireWriter bytes(byte[] value) {
    return bytes(value, 0, value.length);
  }

  WireWriter bytes(byte[] value, int offset, int count) {
    ensure(count);
    System.arraycopy(value, offset, buffer, length, count);
    length += count;
    return this;
  }

  WireWriter bytes(ByteString value) {
    return bytes(value.unsafeArray());
  }

  /** {@code value} preceded by its 4-byte length. */
  WireWriter sized(byte[] value) {
    return u32(value.length).bytes(value);
  }

  WireWriter utf8(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return u16(bytes.length).bytes(bytes);
  }

  /** The bytes written so far (a copy when the buffer has room left). */
  byte[] toArray() {
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }
}
