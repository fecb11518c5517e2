package dev.converge.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * One replica's simulated disk: an append-only log file of framed records with fsync semantics.
 *
 * <p>Each record holds change chunks (a document's incremental save, or a whole save after
 * compaction) and, written atomically with them, the encoded sync states of the replica's peers, so
 * persisted shared heads never name changes the disk lacks (sync package, rule 4). Bytes up to the
 * last {@link #sync()} are durable. A {@link #crash} keeps the durable bytes and a random prefix of
 * the others, as a disk that loses its cache may: the unsynced tail is lost in whole or in part,
 * and the last record that survives may be torn (cut anywhere, its header included). Never the
 * synced part. {@link #flipDurableBit} flips a bit of the synced part, as rot on the medium would;
 * the record holding it then fails its checksum when read.
 *
 * <p>On disk a record is its payload's length (4 bytes), a CRC-32C of the payload (4 bytes), and
 * the payload: the chunks' length and bytes, then the number of sync states and, for each, the
 * peer, the length and the bytes. {@link #records()} reads frames from the start and stops at the
 * first one that is incomplete or fails its checksum: a torn tail is corrupt, never half loaded.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SimDisk {
  private static final int HEADER_BYTES = 8;

  /** One record read back: chunks to load in order, and the sync states persisted with them. */
  static final class Write {
    private final byte[] chunks;
    private final Map<Integer, byte[]> syncStates;

    Write(byte[] chunks, Map<Integer, byte[]> syncStates) {
      this.chunks = chunks.clone();
      this.syncStates = new TreeMap<>(syncStates);
    }

    byte[] chunks() {
      return chunks.clone();
    }

    Map<Integer, byte[]> syncStates() {
      return new TreeMap<>(syncStates);
    }
  }

  /**
   * What a read of the log found: the whole records before the first one that is incomplete or
   * fails its checksum, and why the read stopped there, if it did.
   */
  record Contents(List<Write> records, Damage damage) {
    Contents {
      records = List.copyOf(records);
    }

    /** Whether a record was found torn or corrupt, and left out with everything after it. */
    boolean tornTail() {
      return damage != Damage.NONE;
    }
  }

  /** Why a read stopped before the end of the log. */
  enum Damage {
    /** It did not: every record is whole. */
    NONE,
    /** At a record cut short by a crash: unsynced bytes that were lost in part. */
    TORN,
    /**
     * At a record that was synced and has a bit flipped since. A real reader cannot tell this from
     * a torn record; the simulator knows where it flipped bits, and counts the two apart.
     */
    CORRUPT
  }

  private byte[] log = new byte[256];
  private int length;
  private int durableLength;
  private int recordCount;

  /** Offsets of the bits flipped since the log was last rewritten, for {@link Damage#CORRUPT}. */
  private final List<Integer> flippedOffsets = new ArrayList<>();

  /** Appends a record; it is not durable until {@link #sync()}. */
  void append(byte[] chunks, Map<Integer, byte[]> syncStates) {
    byte[] frame = frame(chunks, syncStates);
    if (length + frame.length > log.length) {
      log = Arrays.copyOf(log, Math.max(log.length * 2, length + frame.length));
    }
    System.arraycopy(frame, 0, log, length, frame.length);
    length += frame.length;
    recordCount++;
  }

  /** Makes every byte written so far durable. */
  void sync() {
    durableLength = length;
  }

  /** Whether some written bytes are not durable yet. */
  boolean hasUnsynced() {
    return durableLength < length;
  }

  /**
   * Replaces the whole log by one durable record, as an atomic rename of a compacted file would.
   * Only valid when the record holds everything the log held.
   */
  void compact(byte[] chunks, Map<Integer, byte[]> syncStates) {
    log = frame(chunks, syncStates);
    length = log.length;
    durableLength = length;
    recordCount = 1;
    flippedOffsets.clear();
  }

  /**
   * Flips one random bit of the synced bytes, as rot on the medium would; nothing when nothing is
   * synced.
   *
   * @return the offset of the byte flipped, or -1
   */
  int flipDurableBit(SplittableRandom random) {
    if (durableLength == 0) {
      return -1;
    }
    int offset = random.nextInt(durableLength);
    flipBitAt(offset, random.nextInt(8));
    return offset;
  }

  /** Flips bit {@code bit} of the synced byte at {@code offset}: a test's way to rot the disk. */
  void flipBitAt(int offset, int bit) {
    if (offset < 0 || offset >= durableLength || bit < 0 || bit > 7) {
      throw new IllegalArgumentException(
          "bit "
              + bit
              + " of byte "
              + offset
              + " is not in the "
              + durableLength
              + " synced bytes");
    }
    log[offset] ^= (byte) (1 << bit);
    flippedOffsets.add(offset);
  }

  /** Whether a bit was flipped since the log was last rewritten. */
  boolean hasFlippedBits() {
    return !flippedOffsets.isEmpty();
  }

  /**
   * Power loss: keeps the durable bytes and a random prefix of the unsynced ones, which may end
   * inside a record.
   *
   * @return how many unsynced records were lost in whole or in part
   */
  int crash(SplittableRandom random) {
    int unsynced = length - durableLength;
    int kept = unsynced == 0 ? 0 : random.nextInt(unsynced + 1);
    int recordsBefore = recordCount;
    length = durableLength + kept;
    durableLength = length;
    Contents contents = read();
    recordCount = contents.records().size() + (contents.tornTail() ? 1 : 0);
    return recordsBefore - contents.records().size();
  }

  /** The whole records that survived, in write order, and whether a torn one followed them. */
  Contents read() {
    List<Write> records = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(log, 0, length);
    while (in.hasRemaining()) {
      int start = in.position();
      Write record = readFrame(in);
      if (record == null) {
        // The records before it are whole, so a flipped bit at or after its start is in it or in
        // a synced record after it; a torn record is never followed by synced bytes.
        boolean flipped = flippedOffsets.stream().anyMatch(offset -> offset >= start);
        return new Contents(records, flipped ? Damage.CORRUPT : Damage.TORN);
      }
      records.add(record);
    }
    return new Contents(records, Damage.NONE);
  }

  /** The whole records that survived, in write order (a torn tail left out). */
  List<Write> records() {
    return read().records();
  }

  /** Records in the log, a torn last one included. */
  int recordCount() {
    return recordCount;
  }

  /**
   * Cuts the last {@code bytes} bytes of the log, durable or not: a test's way to tear a record.
   */
  void truncateTail(int bytes) {
    length = Math.max(0, length - bytes);
    durableLength = Math.min(durableLength, length);
  }

  private static byte[] frame(byte[] chunks, Map<Integer, byte[]> syncStates) {
    int payloadBytes = 4 + chunks.length + 4;
    for (byte[] state : syncStates.values()) {
      payloadBytes += 8 + state.length;
    }
    ByteBuffer payload = ByteBuffer.allocate(payloadBytes);
    payload.putInt(chunks.length).put(chunks).putInt(syncStates.size());
    for (Map.Entry<Integer, byte[]> entry : syncStates.entrySet()) {
      payload.putInt(entry.getKey()).putInt(entry.getValue().length).put(entry.getValue());
    }
    CRC32C crc = new CRC32C();
    crc.update(payload.array());
    return ByteBuffer.allocate(HEADER_BYTES + payloadBytes)
        .putInt(payloadBytes)
        .putInt((int) crc.getValue())
        .put(payload.array())
        .array();
  }

  /**
   * The record at {@code in}'s position, or null if it is incomplete or corrupt; every length is
   * checked against what is left before it is used.
   */
  private static @org.jspecify.annotations.Nullable Write readFrame(ByteBuffer in) {
    if (in.remaining() < HEADER_BYTES) {
      return null;
    }
    int payloadBytes = in.getInt();
    int checksum = in.getInt();
    if (payloadBytes < 8 || payloadBytes > in.remaining()) {
      return null;
    }
    byte[] payload = new byte[payloadBytes];
    in.get(payload);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    if ((int) crc.getValue() != checksum) {
      return null;
    }
    ByteBuffer body = ByteBuffer.wrap(payload);
    int chunksBytes = body.getInt();
    if (chunksBytes < 0 || chunksBytes > body.remaining() - 4) {
      return null;
    }
    byte[] chunks = new byte[chunksBytes];
    body.get(chunks);
    int states = body.getInt();
    Map<Integer, byte[]> syncStates = new TreeMap<>();
    for (int i = 0; i < states; i++) {
      if (body.remaining() < 8) {
        return null;
      }
      int peer = body.getInt();
      int stateBytes = body.getInt();
      if (stateBytes < 0 || stateBytes > body.remaining()) {
        return null;
      }
      byte[] state = new byte[stateBytes];
      body.get(state);
      syncStates.put(peer, state);
    }
    return body.hasRemaining() ? null : new Write(chunks, syncStates);
  }
}
