package dev.converge.core.internal.codec;

import dev.converge.core.ScalarValue;

/**
 * Encodes values as a metadata column (RLE of uLEB {@code length << 4 | typeCode}) and a raw column
 * (the value bytes one after another), compat §1.2. The metadata goes to the target given to {@link
 * #begin}; the raw bytes collect in {@link #raw()} for the caller to append after it. Reusable; not
 * thread-safe.
 */
public final class ValueEncoder {
  private final RleEncoder metadata = new RleEncoder(false);
  private final ByteWriter raw = new ByteWriter(64);

  /** Starts a metadata column written to the end of {@code target}, and an empty raw column. */
  public void begin(ByteWriter target) {
    metadata.begin(target);
    raw.reset();
  }

  public void append(ScalarValue value) {
    int before = raw.size();
    writeRaw(value, raw);
    long length = (long) raw.size() - before;
    metadata.append(length << 4 | value.typeCode());
  }

  /** Appends raw bytes already encoded, with their metadata word. */
  public void appendEncoded(int typeCode, byte[] bytes) {
    raw.writeBytes(bytes);
    metadata.append((long) bytes.length << 4 | typeCode);
  }

  /** Closes the metadata column. */
  public void finish() {
    metadata.finish();
  }

  /** The raw column written so far. */
  public ByteWriter raw() {
    return raw;
  }

  /** Writes the raw bytes of {@code value}, without metadata. */
  public static void writeRaw(ScalarValue value, ByteWriter out) {
    if (value instanceof ScalarValue.Null || value instanceof ScalarValue.Bool) {
      return;
    } else if (value instanceof ScalarValue.Uint uint) {
      out.writeUleb(uint.value());
    } else if (value instanceof ScalarValue.Int integer) {
      out.writeSleb(integer.value());
    } else if (value instanceof ScalarValue.F64 f64) {
      long bits = Double.doubleToRawLongBits(f64.value());
      for (int i = 0; i < 8; i++) {
        out.writeByte((int) (bits >>> (8 * i)));
      }
    } else if (value instanceof ScalarValue.Str str) {
      Utf8.write(str.value(), out);
    } else if (value instanceof ScalarValue.Bytes bytes) {
      out.writeBytes(bytes.value());
    } else if (value instanceof ScalarValue.Counter counter) {
      out.writeSleb(counter.value());
    } else if (value instanceof ScalarValue.Timestamp timestamp) {
      out.writeSleb(timestamp.millis());
    } else if (value instanceof ScalarValue.Unknown unknown) {
      out.writeBytes(unknown.bytes());
    } else {
      throw new AssertionError(value);
    }
  }
}
