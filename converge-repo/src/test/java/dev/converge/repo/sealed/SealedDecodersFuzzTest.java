package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.converge.core.ConvergeException;
import dev.converge.repo.sealed.relay.Relay;

/**
 * Fuzzes the sealed-format decoders with arbitrary bytes: envelopes (and opening them), member-log
 * operations, relay messages, and a relay answering them.
 *
 * <p>How: the only allowed outcomes are a decoded value or a {@link ConvergeException}, never
 * another exception or an allocation from a length that was read. A decoded envelope re-encodes to
 * exactly its input and its signature check and opening under a fixed key end in a value or a typed
 * error; a decoded relay message re-encodes and decodes to an equal message; a relay answers every
 * input with bytes that decode as a relay message. Under {@code mvn test} Jazzer replays the seeds
 * in {@code src/test/resources/dev/converge/repo/sealed/SealedDecodersFuzzTestInputs/} (a real
 * envelope, operation and messages); to explore, run {@code JAZZER_FUZZ=1 mvn -pl converge-repo
 * test -Dtest=SealedDecodersFuzzTest}. Every input that ever broke a decoder belongs in those
 * folders.
 */
class SealedDecodersFuzzTest {
  private static final SealedLimits LIMITS =
      SealedLimits.DEFAULT.withCiphertextBytesMax(1 << 16).withMessageBytesMax(1 << 20);
  private static final byte[] KEY = new byte[32];

  @FuzzTest(maxDuration = "60s")
  void envelope(byte[] data) {
    Envelope envelope;
    try {
      envelope = Envelope.decode(data, LIMITS);
    } catch (ConvergeException expected) {
      return;
    }
    assertArrayEquals(data, envelope.toBytes());
    if (!envelope.hasValidSignature()) {
      return;
    }
    try {
      byte[] plaintext = EnvelopeSeal.open(envelope, KEY);
      assertTrue(plaintext.length >= 1);
    } catch (ConvergeException expected) {
      // tampered or not ours: a typed refusal
    }
  }

  @FuzzTest(maxDuration = "60s")
  void memberOp(byte[] data) {
    try {
      MemberOp op = MemberOp.decode(data, LIMITS);
      assertArrayEquals(data, op.toBytes());
    } catch (ConvergeException expected) {
      // refused with a type
    }
  }

  @FuzzTest(maxDuration = "60s")
  void relayMessage(byte[] data) {
    RelayMessage message;
    try {
      message = RelayMessageCodec.decode(data, LIMITS);
    } catch (ConvergeException expected) {
      return;
    }
    assertEquals(message, RelayMessageCodec.decode(RelayMessageCodec.encode(message), LIMITS));
    try (Relay relay = Relay.inMemory(LIMITS)) {
      RelayMessageCodec.decode(relay.handle(data), LIMITS);
    }
  }
}
