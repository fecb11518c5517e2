package dev.converge.core.interop;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * Edits Automerge files below the level a loader checks first, so that a mutated file reaches the
 * checks behind the checksum and the heads: recomputes every chunk's checksum, and replaces a
 * document chunk's stored heads. It parses only the chunk framing and the fields before the column
 * data, with its own few lines of LEB128, so it works on files no loader accepts and owes nothing
 * to the decoders under test.
 */
final class ChunkSurgery {
  private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
  private static final int HASHED_FROM = 8;
  private static final int HASH_BYTES = 32;
  private static final int INFLATED_BYTES_MAX = 1 << 20;

  private ChunkSurgery() {}

  /**
   * A copy of {@code file} in which every chunk whose header parses carries the checksum of its
   * contents (for a compressed change, of the inflated change); the walk stops at the first chunk
   * that does not parse.
   */
  static byte[] withValidChecksums(byte[] file) {
    byte[] out = file.clone();
    int offset = 0;
    while (offset < out.length) {
      Header header = Header.parse(out, offset);
      if (header == null) {
        break;
      }
      byte[] digest = header.type() == 2 ? inflatedDigest(out, header) : digest(out, header);
      if (digest != null) {
        System.arraycopy(digest, 0, out, offset + MAGIC.length, 4);
      }
      offset = header.end();
    }
    return out;
  }

  /**
   * A copy of {@code file} whose first chunk, if it is a document chunk, stores {@code heads} (hex)
   * instead of its own, with its checksum recomputed; the heads index after the columns is kept
   * when the number of heads is unchanged and dropped otherwise. {@code file} itself when its first
   * chunk is not a document chunk or its fields before the columns do not parse.
   */
  static byte[] withHeads(byte[] file, List<String> heads) {
    Header header = Header.parse(file, 0);
    if (header == null || header.type() != 0) {
      return file;
    }
    Cursor cursor = new Cursor(file, header.bodyOffset(), header.end());
    long actors = cursor.uleb();
    for (long i = 0; i < actors && cursor.ok(); i++) {
      cursor.skip(cursor.uleb());
    }
    int headsAt = cursor.position;
    long headCount = cursor.uleb();
    cursor.skip(headCount * HASH_BYTES);
    int afterHeads = cursor.position;
    long dataLength = cursor.columnLengths() + cursor.columnLengths();
    cursor.skip(dataLength);
    if (!cursor.ok()) {
      return file;
    }
    int suffixAt = cursor.position;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(file, header.bodyOffset(), headsAt - header.bodyOffset());
    Leb.writeUnsigned(body, heads.size());
    for (String head : heads) {
      body.writeBytes(HexFormat.of().parseHex(head));
    }
    int keptEnd = headCount == heads.size() ? header.end() : suffixAt;
    body.write(file, afterHeads, keptEnd - afterHeads);
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    chunk.writeBytes(MAGIC);
    chunk.writeBytes(new byte[4]);
    chunk.write(0);
    Leb.writeUnsigned(chunk, body.size());
    chunk.writeBytes(body.toByteArray());
    chunk.write(file, header.end(), file.length - header.end());
    return withValidChecksums(chunk.toByteArray());
  }

  /** The chunk header at {@code offset}, or null if none parses there. */
  record Header(int offset, int type, int bodyOffset, int bodyLength) {
    int end() {
      return bodyOffset + bodyLength;
    }

    static @Nullable Header parse(byte[] bytes, int offset) {
      if (bytes.length - offset < HASHED_FROM + 2
          || !Arrays.equals(bytes, offset, offset + 4, MAGIC, 0, 4)) {
        return null;
      }
      Cursor cursor = new Cursor(bytes, offset + HASHED_FROM + 1, bytes.length);
      long length = cursor.uleb();
      if (!cursor.ok() || length > bytes.length - cursor.position) {
        return null;
      }
      return new Header(offset, bytes[offset + HASHED_FROM] & 0xff, cursor.position, (int) length);
    }
  }

  private static byte[] digest(byte[] bytes, Header header) {
    MessageDigest sha256 = sha256();
    sha256.update(
        bytes, header.offset() + HASHED_FROM, header.end() - header.offset() - HASHED_FROM);
    return sha256.digest();
  }

  private static byte @Nullable [] inflatedDigest(byte[] bytes, Header header) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(bytes, header.bodyOffset(), header.bodyLength());
      ByteArrayOutputStream inflated = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        inflated.write(buffer, 0, n);
        if (inflated.size() > INFLATED_BYTES_MAX) {
          return null;
        }
      }
      ByteArrayOutputStream hashed = new ByteArrayOutputStream();
      hashed.write(1);
      Leb.writeUnsigned(hashed, inflated.size());
      hashed.writeBytes(inflated.toByteArray());
      return sha256().digest(hashed.toByteArray());
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads LEB128 numbers; past the end or on a number too long, it stops being {@link #ok}. */
  private static final class Cursor {
    private final byte[] bytes;
    private final int end;
    int position;
    private boolean failed;

    Cursor(byte[] bytes, int position, int end) {
      this.bytes = bytes;
      this.position = position;
      this.end = end;
    }

    boolean ok() {
      return !failed && position <= end;
    }

    long uleb() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          failed = true;
          return 0;
        }
        int b = bytes[position++] & 0xff;
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      failed = true;
      return 0;
    }

    void skip(long length) {
      if (length < 0 || length > end - position) {
        failed = true;
        position = end;
      } else {
        position += (int) length;
      }
    }

    /** Reads column metadata (count, then spec and length pairs); the sum of the lengths. */
    long columnLengths() {
      long count = uleb();
      long total = 0;
      for (long i = 0; i < count && ok(); i++) {
        uleb();
        total += uleb();
        if (total < 0 || total > end) {
          failed = true;
        }
      }
      return total;
    }
  }
}
