package dev.converge.core.sync;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ByteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of Automerge's sync protocol, decoded (automerge-compat §3.1).
 *
 * <p>Wire form: a type byte ({@code 0x42} for v1, {@code 0x43} for v2); heads and need as hash
 * arrays (uLEB count, then 32 bytes each); have as a uLEB count of entries, each a lastSync hash
 * array and a length-prefixed Bloom filter; changes as a uLEB count of length-prefixed byte
 * strings; then, if any bytes remain, the flags: a uLEB length and that many bytes. Writers send
 * the flags as {@code 02 02 (0x80 | bits)}: the legacy "supports v2" byte, then a bitfield byte.
 * Readers OR together the low 7 bits of every flag byte with the high bit set and ignore the rest;
 * the presence of a flags section alone says the sender understands v2. Bytes after the flags are
 * ignored, as Automerge ignores them.
 *
 * <p>In v1 each changes entry is one change chunk. In v2 there is at most one entry: the
 * concatenated change chunks, or a whole document (a document chunk, possibly empty, possibly
 * followed by change chunks). Receivers join all entries and load them incrementally.
 *
 * @param version the message version
 * @param heads the sender's heads, sorted
 * @param need hashes the sender asks for explicitly, sorted
 * @param have what the sender already has
 * @param changes change or document chunks for the receiver (copied in and out)
 * @param flags the flag bits ({@link #FLAG_SYNC_RESET} and so on), or {@link #NO_FLAGS} when the
 *     message has no flags section
 */
public record SyncMessage(
    Version version,
    List<ChangeHash> heads,
    List<ChangeHash> need,
    List<Have> have,
    List<byte[]> changes,
    int flags) {
  /** The sender asks us to forget what we sent it (it switched from read-only to read-write). */
  public static final int FLAG_SYNC_RESET = 0x01;

  /** The sender does not apply changes, so sending it some is wasted. */
  public static final int FLAG_READ_ONLY = 0x02;

  /** The sender understands {@link #FLAG_SYNC_RESET}. */
  public static final int FLAG_SUPPORTS_SYNC_RESET = 0x04;

  /** The {@code flags} of a message without a flags section (an old v1 peer). */
  public static final int NO_FLAGS = -1;

  private static final int LEGACY_V2_BYTE = 0x02;
  private static final int BITFIELD_MARKER = 0x80;

  /** The message versions, by type byte. */
  public enum Version {
    V1(0x42),
    V2(0x43);

    private final int typeByte;

    Version(int typeByte) {
      this.typeByte = typeByte;
    }

    public int typeByte() {
      return typeByte;
    }
  }

  public SyncMessage {
    Objects.requireNonNull(version, "version");
    heads = List.copyOf(heads);
    need = List.copyOf(need);
    have = List.copyOf(have);
    List<byte[]> copies = new ArrayList<>(changes.size());
    for (byte[] change : changes) {
      copies.add(change.clone());
    }
    changes = List.copyOf(copies);
    if (flags < NO_FLAGS || flags > 0x7f) {
      throw new IllegalArgumentException("flags must be NO_FLAGS or 0..0x7f, not " + flags);
    }
  }

  /** Copies of the change entries. */
  @Override
  public List<byte[]> changes() {
    List<byte[]> copies = new ArrayList<>(changes.size());
    for (byte[] change : changes) {
      copies.add(change.clone());
    }
    return copies;
  }

  /** How many change entries the message holds. */
  public int changeEntryCount() {
    return changes.size();
  }

  /** The change entries joined, as the receiver loads them. */
  public byte[] joinedChanges() {
    ByteWriter out = new ByteWriter(changesByteLength());
    for (byte[] change : changes) {
      out.writeBytes(change);
    }
    return out.toByteArray();
  }

  /** The total length of the change entries. */
  public int changesByteLength() {
    long total = 0;
    for (byte[] change : changes) {
      total += change.length;
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  public boolean hasFlags() {
    return flags != NO_FLAGS;
  }

  /** Whether the message has a flags section with {@code flag} set. */
  public boolean hasFlag(int flag) {
    return flags != NO_FLAGS && (flags & flag) != 0;
  }

  /** The wire form. */
  public byte[] encode() {
    ByteWriter out = new ByteWriter(64 + changesByteLength());
    out.writeByte(version.typeByte());
    writeHashes(out, heads);
    writeHashes(out, need);
    out.writeUleb(have.size());
    for (Have entry : have) {
      writeHashes(out, entry.lastSync());
      out.writeLengthPrefixed(entry.bloom().toBytes());
    }
    out.writeUleb(changes.size());
    for (byte[] change : changes) {
      out.writeLengthPrefixed(change);
    }
    if (flags != NO_FLAGS) {
      out.writeUleb(2);
      out.writeByte(LEGACY_V2_BYTE);
      out.writeByte(BITFIELD_MARKER | flags);
    }
    return out.toByteArray();
  }

  private static void writeHashes(ByteWriter out, List<ChangeHash> hashes) {
    out.writeUleb(hashes.size());
    byte[] buffer = new byte[ChangeHash.LENGTH];
    for (ChangeHash hash : hashes) {
      hash.copyTo(buffer, 0);
      out.writeBytes(buffer);
    }
  }

  /**
   * Reads a message with {@link SyncLimits#DEFAULT}.
   *
   * @throws CorruptDataException if the bytes are not a sync message
   * @throws LimitExceededException if the message is larger than the default limits allow
   */
  public static SyncMessage decode(byte[] bytes) {
    return decode(bytes, SyncLimits.DEFAULT);
  }

  /**
   * Reads a message. The change entries are not decoded here; the receiver does that.
   *
   * @throws CorruptDataException if the bytes are not a sync message: unknown type byte, truncated,
   *     a count larger than the bytes remaining, bad LEB128, a bad Bloom filter
   * @throws LimitExceededException if the message, a list in it or a Bloom filter is larger than
   *     {@code limits} allow
   */
  public static SyncMessage decode(byte[] bytes, SyncLimits limits) {
    if (bytes.length > limits.messageBytesMax()) {
      throw new LimitExceededException(
          "sync message of " + bytes.length + " bytes, limit " + limits.messageBytesMax());
    }
    ByteReader in = new ByteReader(bytes);
    int type = in.readUnsignedByte("sync message type");
    Version version;
    if (type == Version.V1.typeByte()) {
      version = Version.V1;
    } else if (type == Version.V2.typeByte()) {
      version = Version.V2;
    } else {
      throw new CorruptDataException(
          String.format("sync message type 0x%02x, expected 0x42 or 0x43", type));
    }
    List<ChangeHash> heads = readHashes(in, "heads", limits);
    List<ChangeHash> need = readHashes(in, "need", limits);
    int haveCount = in.readCount("have count", in.remaining() / 2);
    requireAtMost("have entries", haveCount, limits.havesMax());
    List<Have> have = new ArrayList<>(haveCount);
    for (int i = 0; i < haveCount; i++) {
      List<ChangeHash> lastSync = readHashes(in, "have " + i + " lastSync", limits);
      int bloomLength = in.readLength("have " + i + " bloom filter length");
      ByteReader bloomBytes = in.slice(bloomLength, "have " + i + " bloom filter");
      have.add(new Have(lastSync, BloomFilter.decode(bloomBytes, limits)));
    }
    int changeCount = in.readCount("changes count", in.remaining());
    requireAtMost("change entries", changeCount, limits.changeEntriesMax());
    List<byte[]> changes = new ArrayList<>(changeCount);
    for (int i = 0; i < changeCount; i++) {
      int length = in.readLength("change entry " + i + " length");
      changes.add(in.readBytes(length, "change entry " + i));
    }
    int flags = NO_FLAGS;
    if (in.hasRemaining()) {
      int length = in.readLength("flags length");
      flags = 0;
      for (int i = 0; i < length; i++) {
        int flagByte = in.readUnsignedByte("flag byte " + i);
        if ((flagByte & BITFIELD_MARKER) != 0) {
          flags |= flagByte & ~BITFIELD_MARKER;
        }
      }
    }
    return new SyncMessage(version, heads, need, have, changes, flags);
  }

  private static List<ChangeHash> readHashes(ByteReader in, String what, SyncLimits limits) {
    int count = in.readCount(what + " count", in.remaining() / ChangeHash.LENGTH);
    requireAtMost(what, count, limits.hashesMax());
    List<ChangeHash> hashes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hashes.add(ChangeHash.of(in.array(), in.position()));
      in.skip(ChangeHash.LENGTH, what);
    }
    return hashes;
  }

  private static void requireAtMost(String what, int count, int max) {
    if (count > max) {
      throw new LimitExceededException(what + ": " + count + ", limit " + max);
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof SyncMessage that)) {
      return false;
    }
    if (version != that.version
        || flags != that.flags
        || !heads.equals(that.heads)
        || !need.equals(that.need)
        || !have.equals(that.have)
        || changes.size() != that.changes.size()) {
      return false;
    }
    for (int i = 0; i < changes.size(); i++) {
      if (!Arrays.equals(changes.get(i), that.changes.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int result = Objects.hash(version, heads, need, have, flags);
    for (byte[] change : changes) {
      result = result * 31 + Arrays.hashCode(change);
    }
    return result;
  }

  @Override
  public String toString() {
    return "SyncMessage["
        + version
        + ", heads="
        + heads.size()
        + ", need="
        + need.size()
        + ", have="
        + have
        + ", changes="
        + changes.size()
        + " entries of "
        + changesByteLength()
        + " bytes, flags="
        + (flags == NO_FLAGS ? "none" : Integer.toHexString(flags))
        + "]";
  }
}
