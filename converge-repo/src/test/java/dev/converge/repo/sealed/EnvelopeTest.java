package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.UnsupportedFormatException;
import dev.converge.repo.DocumentId;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The envelope format and its sealing: round trips, every field checked, the nonce's form. */
class EnvelopeTest {
  private static final SecureRandom RANDOM = Device.seeded(7);
  private static final DocumentId DOC = DocumentId.random(new java.util.SplittableRandom(3));
  private static final MemberKeyPair SIGNER = MemberKeyPair.generate(RANDOM);
  private static final byte[] KEY = new byte[32];
  private static final SealedLimits LIMITS = SealedLimits.DEFAULT;

  private static Envelope sealed(long seq, byte[] chunks) {
    return EnvelopeSeal.seal(DOC, 1, KEY, SIGNER, seq, chunks, RANDOM);
  }

  @Test
  void seal_thenDecodeAndOpen_givesTheChunksBack() {
    byte[] chunks = "some automerge chunks".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Envelope envelope = sealed(7, chunks);
    Envelope decoded = Envelope.decode(envelope.toBytes(), SealedLimits.DEFAULT);
    assertEquals(envelope, decoded);
    assertEquals(DOC, decoded.documentId());
    assertEquals(1, decoded.epoch());
    assertEquals(7, decoded.seq());
    assertEquals(SIGNER.publicKey().signKey(), decoded.signer());
    assertTrue(decoded.hasValidSignature());
    assertArrayEquals(chunks, EnvelopeSeal.open(decoded, KEY));
    assertEquals(Envelope.OVERHEAD_BYTES + 1 + 16 + chunks.length, decoded.size());
  }

  @Test
  void seal_nonce_isTheSequenceNumberThenRandomBytes() {
    byte[] bytes = sealed(0x0102030405060708L, new byte[] {1}).toBytes();
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, Arrays.copyOfRange(bytes, 81, 89));
    byte[] again = sealed(0x0102030405060708L, new byte[] {1}).toBytes();
    assertFalse(
        Arrays.equals(Arrays.copyOfRange(bytes, 89, 93), Arrays.copyOfRange(again, 89, 93)));
  }

  @Test
  void writer_manyEnvelopes_eachOpensWithItsNumberAndAFreshNonce() {
    EnvelopeWriter writer = new EnvelopeWriter(DOC, 3, KEY, SIGNER);
    java.util.Set<ByteString> nonces = new java.util.HashSet<>();
    for (long seq = 1; seq <= 20; seq++) {
      byte[] chunks = new byte[(int) seq * 7];
      Arrays.fill(chunks, (byte) seq);
      Envelope decoded = Envelope.decode(writer.seal(seq, chunks, RANDOM).toBytes(), LIMITS);
      assertEquals(seq, decoded.seq());
      assertEquals(3, decoded.epoch());
      assertTrue(decoded.hasValidSignature());
      assertArrayEquals(chunks, EnvelopeSeal.open(decoded, KEY));
      assertTrue(nonces.add(ByteString.of(decoded.toBytes(), 81, 12)));
    }
  }

  @Test
  void open_underAnotherKey_isTampered() {
    Envelope envelope = sealed(1, new byte[] {1, 2, 3});
    byte[] other = new byte[32];
    other[0] = 1;
    EnvelopeRejectedException e =
        assertThrows(EnvelopeRejectedException.class, () -> EnvelopeSeal.open(envelope, other));
    assertEquals(EnvelopeRejectedException.Reason.TAMPERED, e.reason());
  }

  @Test
  void subkey_differsPerSignerAndEpochKey() {
    byte[] a = EnvelopeSeal.subkey(DOC, KEY, SIGNER.publicKey().signKey());
    byte[] b = EnvelopeSeal.subkey(DOC, KEY, MemberKeyPair.generate(RANDOM).publicKey().signKey());
    byte[] otherKey = KEY.clone();
    otherKey[5] = 9;
    byte[] c = EnvelopeSeal.subkey(DOC, otherKey, SIGNER.publicKey().signKey());
    assertNotEquals(ByteString.of(a), ByteString.of(b));
    assertNotEquals(ByteString.of(a), ByteString.of(c));
  }

  @Test
  void decode_everyByteFlipped_isRefusedOrFailsItsSignature() {
    byte[] bytes = sealed(3, new byte[] {1, 2, 3, 4}).toBytes();
    for (int i = 0; i < bytes.length; i++) {
      byte[] flipped = bytes.clone();
      flipped[i] ^= 0x01;
      try {
        Envelope decoded = Envelope.decode(flipped, SealedLimits.DEFAULT);
        // Only the signature is outside the envelope ID: there the signature check fails.
        assertTrue(i >= bytes.length - 64, "byte " + i);
        assertFalse(decoded.hasValidSignature(), "byte " + i);
      } catch (dev.converge.core.ConvergeException expected) {
        assertTrue(i < bytes.length - 64, "byte " + i + ": " + expected.getMessage());
      }
    }
  }

  @Test
  void decode_badInput_typedErrors() {
    byte[] bytes = sealed(3, new byte[] {1, 2, 3, 4}).toBytes();
    assertThrows(
        CorruptDataException.class, () -> Envelope.decode(new byte[0], SealedLimits.DEFAULT));
    assertThrows(
        CorruptDataException.class,
        () -> Envelope.decode(Arrays.copyOf(bytes, bytes.length - 1), SealedLimits.DEFAULT));
    assertThrows(
        CorruptDataException.class,
        () -> Envelope.decode(Arrays.copyOf(bytes, bytes.length + 1), SealedLimits.DEFAULT));
    byte[] version = bytes.clone();
    version[4] = 2;
    assertThrows(
        UnsupportedFormatException.class, () -> Envelope.decode(version, SealedLimits.DEFAULT));
    byte[] huge = bytes.clone();
    huge[93] = 0x7f;
    assertThrows(LimitExceededException.class, () -> Envelope.decode(huge, SealedLimits.DEFAULT));
  }
}
