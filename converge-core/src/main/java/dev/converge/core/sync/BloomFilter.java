package dev.converge.core.sync;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ByteWriter;
import java.util.Arrays;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * The Bloom filter a sync message uses to summarise the changes its sender added since the last
 * sync (automerge-compat §3.2). Immutable.
 *
 * <p>Parameters are Automerge's: 10 bits per entry and 7 probes, about 1% false positives. They
 * travel with the filter, so a filter with other parameters is read and used as its writer meant.
 * The probes for a hash are derived from its first 12 bytes, read as three little-endian 32-bit
 * words {@code x, y, z} reduced modulo the number of bits {@code m}: the first probe is {@code x},
 * and each further one is {@code x += y; y += z} (mod {@code m}). Bit {@code p} is bit {@code p &
 * 7} of byte {@code p >> 3}.
 *
 * <p>Wire form: nothing at all for an empty filter; otherwise uLEB entry count, uLEB bits per
 * entry, uLEB probe count, then {@code ceil(entries * bitsPerEntry / 8)} bytes of bits.
 */
public final class BloomFilter {
  /** Bits per entry in filters Converge writes. */
  public static final int BITS_PER_ENTRY = 10;

  /** Probes per hash in filters Converge writes. */
  public static final int PROBES = 7;

  private static final BloomFilter EMPTY = new BloomFilter(0, BITS_PER_ENTRY, PROBES, new byte[0]);

  private final long entryCount;
  private final long bitsPerEntry;
  private final long probeCount;
  private final byte[] bits;

  private BloomFilter(long entryCount, long bitsPerEntry, long probeCount, byte[] bits) {
    this.entryCount = entryCount;
    this.bitsPerEntry = bitsPerEntry;
    this.probeCount = probeCount;
    this.bits = bits;
  }

  /** The filter with no entries, which contains nothing and is written as zero bytes. */
  public static BloomFilter empty() {
    return EMPTY;
  }

  /** A filter holding {@code hashes}, with Automerge's parameters. */
  public static BloomFilter of(Collection<ChangeHash> hashes) {
    if (hashes.isEmpty()) {
      return EMPTY;
    }
    BloomFilter filter =
        new BloomFilter(
            hashes.size(),
            BITS_PER_ENTRY,
            PROBES,
            new byte[(int) byteLength(hashes.size(), BITS_PER_ENTRY)]);
    int[] probes = new int[PROBES];
    for (ChangeHash hash : hashes) {
      filter.probes(hash, probes);
      for (int probe : probes) {
        filter.bits[probe >>> 3] |= (byte) (1 << (probe & 7));
      }
    }
    return filter;
  }

  /**
   * Reads a filter in its wire form. Bytes after the bits are ignored, as Automerge ignores them.
   *
   * @throws CorruptDataException if the bytes are truncated, or a filter with entries has no bits
   * @throws LimitExceededException if the filter is larger, or has more probes, than {@code limits}
   *     allow
   */
  public static BloomFilter decode(byte[] bytes, SyncLimits limits) {
    return decode(new ByteReader(bytes), limits);
  }

  static BloomFilter decode(ByteReader in, SyncLimits limits) {
    if (!in.hasRemaining()) {
      return EMPTY;
    }
    long entries = in.readUleb32("bloom filter entry count");
    long bitsPerEntry = in.readUleb32("bloom filter bits per entry");
    long probes = in.readUleb32("bloom filter probe count");
    long length = byteLength(entries, bitsPerEntry);
    if (length > in.remaining()) {
      throw new CorruptDataException(
          "bloom filter of "
              + entries
              + " entries at "
              + bitsPerEntry
              + " bits each needs "
              + length
              + " bytes, "
              + in.remaining()
              + " remain");
    }
    if (length > limits.bloomBytesMax()) {
      throw new LimitExceededException(
          "bloom filter of " + length + " bytes, limit " + limits.bloomBytesMax());
    }
    if (probes > limits.bloomProbesMax()) {
      throw new LimitExceededException(
          "bloom filter with " + probes + " probes, limit " + limits.bloomProbesMax());
    }
    if (entries > 0 && length == 0) {
      throw new CorruptDataException(
          "bloom filter of " + entries + " entries has no bits (bits per entry 0)");
    }
    byte[] bits = in.readBytes((int) length, "bloom filter bits");
    return new BloomFilter(entries, bitsPerEntry, probes, bits);
  }

  /** {@code ceil(entries * bitsPerEntry / 8)}, exact for any two 32-bit values. */
  private static long byteLength(long entries, long bitsPerEntry) {
    long bitCount = entries * bitsPerEntry;
    if (entries != 0 && bitCount / entries != bitsPerEntry) {
      return Long.MAX_VALUE;
    }
    return (bitCount >>> 3) + ((bitCount & 7) == 0 ? 0 : 1);
  }

  /** The wire form: empty for a filter without entries. */
  public byte[] toBytes() {
    if (entryCount == 0) {
      return new byte[0];
    }
    ByteWriter out = new ByteWriter(bits.length + 12);
    out.writeUleb(entryCount);
    out.writeUleb(bitsPerEntry);
    out.writeUleb(probeCount);
    out.writeBytes(bits);
    return out.toByteArray();
  }

  /**
   * Whether {@code hash} may be in the filter: false for certain if it was never added, true with
   * about 1% probability if not. Always false for a filter without entries.
   */
  public boolean contains(ChangeHash hash) {
    if (entryCount == 0) {
      return false;
    }
    int[] probes = new int[(int) Math.max(1, probeCount)];
    probes(hash, probes);
    for (int probe : probes) {
      // A probe past the bits (a filter shorter than its parameters say) counts as set.
      int index = probe >>> 3;
      if (index < bits.length && (bits[index] & (1 << (probe & 7))) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Fills {@code out} with the probe positions of {@code hash}; bits is not empty. */
  private void probes(ChangeHash hash, int[] out) {
    long modulo = 8L * bits.length;
    long x = word(hash, 0) % modulo;
    long y = word(hash, 4) % modulo;
    long z = word(hash, 8) % modulo;
    out[0] = (int) x;
    for (int i = 1; i < out.length; i++) {
      x = (x + y) % modulo;
      y = (y + z) % modulo;
      out[i] = (int) x;
    }
  }

  private static long word(ChangeHash hash, int offset) {
    return (hash.byteAt(offset) & 0xffL)
        | (hash.byteAt(offset + 1) & 0xffL) << 8
        | (hash.byteAt(offset + 2) & 0xffL) << 16
        | (hash.byteAt(offset + 3) & 0xffL) << 24;
  }

  /** How many hashes were added. */
  public long entryCount() {
    return entryCount;
  }

  public long bitsPerEntry() {
    return bitsPerEntry;
  }

  public long probeCount() {
    return probeCount;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof BloomFilter that
        && entryCount == that.entryCount
        && bitsPerEntry == that.bitsPerEntry
        && probeCount == that.probeCount
        && Arrays.equals(bits, that.bits);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(entryCount) * 31 + Arrays.hashCode(bits);
  }

  @Override
  public String toString() {
    return "BloomFilter[entries=" + entryCount + ", bytes=" + bits.length + "]";
  }
}
