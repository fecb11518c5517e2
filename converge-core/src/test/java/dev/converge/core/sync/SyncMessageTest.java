package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sync message, Bloom filter and sync state codecs: hand-checked bytes, round trips, and the
 * reading rules (legacy flag bytes, trailing bytes, empty filters).
 *
 * <p>How: expected bytes are written out by hand from automerge-compat §3.1, §3.2 and §2.12, or
 * come from the verified JavaScript message quoted there; Bloom probe positions are computed by
 * hand for two hashes. The interop test checks filters of up to 1,000 hashes against JavaScript.
 */
class SyncMessageTest {
  private static final HexFormat HEX = HexFormat.of();

  static ChangeHash hash(int seed) {
    byte[] bytes = new byte[32];
    new Random(seed).nextBytes(bytes);
    return ChangeHash.of(bytes);
  }

  static List<ChangeHash> sortedHashes(int count, int seed) {
    List<ChangeHash> hashes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hashes.add(hash(seed * 1000 + i));
    }
    hashes.sort(null);
    return hashes;
  }

  @Test
  void encode_verifiedJavaScriptShape_sameBytes() {
    // automerge-compat §3.1, verified against JS: 42 01 <head> 00 01 00 07 03 0a 07 1b 09 1c bb
    // 00 02 02 84 (an initial message, one head, a filter of 3 changes).
    ChangeHash head = hash(1);
    BloomFilter bloom = BloomFilter.decode(HEX.parseHex("030a071b091cbb"), SyncLimits.DEFAULT);
    SyncMessage message =
        new SyncMessage(
            SyncMessage.Version.V1,
            List.of(head),
            List.of(),
            List.of(new Have(List.of(), bloom)),
            List.of(),
            SyncMessage.FLAG_SUPPORTS_SYNC_RESET);
    String expected =
        "4201" + head.toHex() + "00" + "01" + "00" + "07030a071b091cbb" + "00" + "020284";
    assertEquals(expected, HEX.formatHex(message.encode()));
    assertEquals(message, SyncMessage.decode(message.encode()));
  }

  @Test
  void roundTrip_everyField_v1AndV2() {
    for (SyncMessage.Version version : SyncMessage.Version.values()) {
      for (int flags : new int[] {SyncMessage.NO_FLAGS, 0, 0x04, 0x07, 0x7f}) {
        SyncMessage message =
            new SyncMessage(
                version,
                sortedHashes(3, 1),
                sortedHashes(2, 2),
                List.of(
                    new Have(sortedHashes(1, 3), BloomFilter.of(sortedHashes(40, 4))),
                    new Have(List.of(), BloomFilter.empty())),
                List.of(new byte[] {1, 2, 3}, new byte[0], new byte[300]),
                flags);
        byte[] bytes = message.encode();
        SyncMessage decoded = SyncMessage.decode(bytes);
        assertEquals(message, decoded);
        assertArrayEquals(bytes, decoded.encode());
      }
    }
  }

  @Test
  void decode_legacyFlagBytes_presentButNoBits() {
    // An older writer: flags section 01 02 (just the "supports v2" byte).
    byte[] bytes = HEX.parseHex("43" + "00" + "00" + "00" + "00" + "0102");
    SyncMessage message = SyncMessage.decode(bytes);
    assertTrue(message.hasFlags());
    assertEquals(0, message.flags());
    // Bitfield bytes are ORed; bytes below 0x80 are ignored.
    SyncMessage mixed = SyncMessage.decode(HEX.parseHex("420000000004018182ff"));
    assertEquals(0x7f, mixed.flags());
    SyncMessage none = SyncMessage.decode(HEX.parseHex("4200000000"));
    assertFalse(none.hasFlags());
    assertEquals(SyncMessage.NO_FLAGS, none.flags());
  }

  @Test
  void decode_bytesAfterFlags_ignoredAsAutomergeDoes() {
    SyncMessage message = SyncMessage.decode(HEX.parseHex("43000000000202840000ff"));
    assertEquals(SyncMessage.FLAG_SUPPORTS_SYNC_RESET, message.flags());
  }

  @Test
  void bloom_emptyFilter_zeroBytesAndContainsNothing() {
    assertEquals(0, BloomFilter.empty().toBytes().length);
    assertEquals(0, BloomFilter.of(List.of()).toBytes().length);
    assertFalse(BloomFilter.empty().contains(hash(1)));
    // A filter that says 0 entries, whatever its parameters, is empty.
    assertEquals(
        BloomFilter.empty().toBytes().length,
        BloomFilter.decode(HEX.parseHex("000a07"), SyncLimits.DEFAULT).toBytes().length);
  }

  @Test
  void bloom_oneHash_handComputedProbes() {
    // 1 entry: ceil(10 / 8) = 2 bytes, m = 16 bits. The hash starts with the words
    // x = 5, y = 3, z = 1 (little-endian). Each step adds y to x, then z to y (mod 16):
    // x 5, 8, 12, 17 = 1, 7, 14, 22 = 6 (y goes 3, 4, 5, 6, 7, 8).
    byte[] bytes = new byte[32];
    bytes[0] = 5;
    bytes[4] = 3;
    bytes[8] = 1;
    ChangeHash hash = ChangeHash.of(bytes);
    BloomFilter filter = BloomFilter.of(List.of(hash));
    // Bits 1, 5, 6, 7 in byte 0 = 0xe2; bits 8, 12, 14 in byte 1 = 0x51.
    assertEquals("010a07" + "e251", HEX.formatHex(filter.toBytes()));
    assertTrue(filter.contains(hash));
  }

  @Test
  void bloom_manyHashes_noFalseNegativesAndAboutOnePercentFalsePositives() {
    List<ChangeHash> members = sortedHashes(5_000, 7);
    BloomFilter filter = BloomFilter.of(members);
    assertEquals(6_250, filter.toBytes().length - 4, "uLEB 5000 is 2 bytes");
    for (ChangeHash member : members) {
      assertTrue(filter.contains(member));
    }
    int falsePositives = 0;
    for (int i = 0; i < 10_000; i++) {
      if (filter.contains(hash(900_000 + i))) {
        falsePositives++;
      }
    }
    assertTrue(falsePositives < 250, falsePositives + " false positives in 10,000");
    assertEquals(filter, BloomFilter.decode(filter.toBytes(), SyncLimits.DEFAULT));
  }

  @Test
  void bloom_badSizes_typedErrors() {
    // Entries but no bits (bits per entry 0): Automerge would divide by zero.
    assertThrows(
        CorruptDataException.class,
        () -> BloomFilter.decode(HEX.parseHex("050007"), SyncLimits.DEFAULT));
    // 1,000 entries need 1,250 bytes; three are there.
    assertThrows(
        CorruptDataException.class,
        () -> BloomFilter.decode(HEX.parseHex("e8070a07010203"), SyncLimits.DEFAULT));
    // Entry count and bits per entry at 2^32 - 1: the product must not overflow into "fits".
    assertThrows(
        CorruptDataException.class,
        () -> BloomFilter.decode(HEX.parseHex("ffffffff0fffffffff0f0700"), SyncLimits.DEFAULT));
    // A count that does not fit 32 bits.
    assertThrows(
        CorruptDataException.class,
        () -> BloomFilter.decode(HEX.parseHex("80808080100a07"), SyncLimits.DEFAULT));
    // Too many probes per hash.
    assertThrows(
        LimitExceededException.class,
        () -> BloomFilter.decode(HEX.parseHex("010ae80700ff"), SyncLimits.DEFAULT));
    // Over the size limit.
    assertThrows(
        LimitExceededException.class,
        () ->
            BloomFilter.decode(
                BloomFilter.of(sortedHashes(100, 8)).toBytes(),
                SyncLimits.DEFAULT.withBloomBytesMax(100)));
  }

  @Test
  void state_encode_typeByteThenSharedHeads() {
    SyncState state = new SyncState();
    assertEquals("4300", HEX.formatHex(state.encode()));
    List<ChangeHash> heads = sortedHashes(2, 9);
    state.sharedHeads = heads;
    byte[] bytes = state.encode();
    assertEquals("4302" + heads.get(0).toHex() + heads.get(1).toHex(), HEX.formatHex(bytes));
    SyncState decoded = SyncState.decode(bytes);
    assertEquals(heads, decoded.sharedHeads());
    assertEquals(List.of(), decoded.theirHave().orElseThrow());
    assertTrue(decoded.theirHeads().isEmpty());
    assertFalse(decoded.haveResponded());
  }

  @Test
  void state_decode_malformed_typedErrors() {
    assertThrows(CorruptDataException.class, () -> SyncState.decode(new byte[0]));
    assertThrows(CorruptDataException.class, () -> SyncState.decode(HEX.parseHex("4200")));
    assertThrows(CorruptDataException.class, () -> SyncState.decode(HEX.parseHex("4301")));
    assertThrows(CorruptDataException.class, () -> SyncState.decode(HEX.parseHex("43ffffffff0f")));
    assertThrows(CorruptDataException.class, () -> SyncState.decode(HEX.parseHex("438000")));
  }
}
