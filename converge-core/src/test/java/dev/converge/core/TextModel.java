package dev.converge.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A plain text in the native form of one {@link TextUnit}, the reference model the properties
 * compare documents with: a {@code StringBuilder} for UTF-16 code units, an {@code int[]} of code
 * points, a {@code byte[]} of UTF-8. Each splices and slices by its own indexes, with no help from
 * the code under test.
 */
abstract class TextModel {

  /** An empty model for {@code unit}. */
  static TextModel of(TextUnit unit) {
    switch (unit) {
      case UTF16:
        return new Utf16();
      case CODE_POINT:
        return new CodePoints();
      case UTF8:
        return new Utf8();
      default:
        throw new AssertionError(unit);
    }
  }

  /** The length in the model's unit. */
  abstract int length();

  /** Whether {@code index} (0 to length) is between two characters. */
  abstract boolean boundary(int index);

  /** Replaces {@code deleteCount} units at {@code index} with {@code insert}. */
  abstract void splice(int index, int deleteCount, String insert);

  /** The units from {@code start} to {@code end}, as a string. */
  abstract String slice(int start, int end);

  /** The whole text as a string. */
  String text() {
    return slice(0, length());
  }

  private static final class Utf16 extends TextModel {
    private final StringBuilder text = new StringBuilder();

    @Override
    int length() {
      return text.length();
    }

    @Override
    boolean boundary(int index) {
      return index == 0
          || index == text.length()
          || !(Character.isHighSurrogate(text.charAt(index - 1))
              && Character.isLowSurrogate(text.charAt(index)));
    }

    @Override
    void splice(int index, int deleteCount, String insert) {
      text.replace(index, index + deleteCount, insert);
    }

    @Override
    String slice(int start, int end) {
      return text.substring(start, end);
    }
  }

  private static final class CodePoints extends TextModel {
    private int[] codePoints = new int[0];

    @Override
    int length() {
      return codePoints.length;
    }

    @Override
    boolean boundary(int index) {
      return true;
    }

    @Override
    void splice(int index, int deleteCount, String insert) {
      int[] inserted = insert.codePoints().toArray();
      int[] result = new int[codePoints.length - deleteCount + inserted.length];
      System.arraycopy(codePoints, 0, result, 0, index);
      System.arraycopy(inserted, 0, result, index, inserted.length);
      System.arraycopy(
          codePoints,
          index + deleteCount,
          result,
          index + inserted.length,
          codePoints.length - index - deleteCount);
      codePoints = result;
    }

    @Override
    String slice(int start, int end) {
      return new String(codePoints, start, end - start);
    }
  }

  private static final class Utf8 extends TextModel {
    private byte[] bytes = new byte[0];

    @Override
    int length() {
      return bytes.length;
    }

    @Override
    boolean boundary(int index) {
      // A continuation byte is 10xxxxxx: no character starts there.
      return index == bytes.length || (bytes[index] & 0xC0) != 0x80;
    }

    @Override
    void splice(int index, int deleteCount, String insert) {
      byte[] inserted = insert.getBytes(StandardCharsets.UTF_8);
      byte[] result = new byte[bytes.length - deleteCount + inserted.length];
      System.arraycopy(bytes, 0, result, 0, index);
      System.arraycopy(inserted, 0, result, index, inserted.length);
      System.arraycopy(
          bytes,
          index + deleteCount,
          result,
          index + inserted.length,
          bytes.length - index - deleteCount);
      bytes = result;
    }

    @Override
    String slice(int start, int end) {
      return new String(Arrays.copyOfRange(bytes, start, end), StandardCharsets.UTF_8);
    }
  }
}
