package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8, as Rust's {@code str} requires: decoding rejects malformed bytes instead of
 * replacing them, and encoding rejects unpaired surrogates, which have no UTF-8 form.
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * Decodes {@code length} bytes at {@code offset}.
   *
   * @throws CorruptDataException if the bytes are not well-formed UTF-8
   */
  public static String decode(byte[] data, int offset, int length, String what) {
    return decode(data, offset, length, what, "");
  }

  /** As {@link #decode(byte[], int, int, String)}, naming the bytes by two parts. */
  public static String decode(byte[] data, int offset, int length, String what, String detail) {
    String text = new String(data, offset, length, StandardCharsets.UTF_8);
    // The JDK decoder replaces malformed input with U+FFFD; only then is a strict pass needed.
    if (text.indexOf('\uFFFD') >= 0) {
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(data, offset, length));
      } catch (CharacterCodingException e) {
        throw new CorruptDataException(what + detail + ": invalid UTF-8 at byte " + offset, e);
      }
    }
    return text;
  }

  /**
   * Encodes {@code text}.
   *
   * @throws IllegalArgumentException if {@code text} holds an unpaired surrogate
   */
  public static byte[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != text.length()) {
      // Not pure ASCII: the JDK writes '?' for an unpaired surrogate, so look for one.
      checkSurrogates(text);
    }
    return bytes;
  }

  /**
   * Writes {@code text} as {@link #encode} does, straight into {@code out}: pure ASCII (the common
   * case: keys, one-character text inserts) without an intermediate array.
   *
   * @throws IllegalArgumentException if {@code text} holds an unpaired surrogate
   */
  public static void write(String text, ByteWriter out) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      if (text.charAt(i) >= 0x80) {
        out.writeBytes(encode(text));
        return;
      }
    }
    for (int i = 0; i < length; i++) {
      out.writeByte(text.charAt(i));
    }
  }

  private static void checkSurrogates(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new IllegalArgumentException("unpaired surrogate at index " + i + " of a string");
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i + " of a string");
      }
    }
  }
}
