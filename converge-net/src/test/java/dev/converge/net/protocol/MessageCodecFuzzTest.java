package dev.converge.net.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.converge.core.ConvergeException;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzzes the automerge-repo frame decoder ({@link MessageCodec#decode}), which every client's bytes
 * reach first, with arbitrary frames.
 *
 * <p>How: the only allowed outcomes are a message or a {@link ConvergeException} (the codec throws
 * {@link MalformedMessageException} or {@link FrameTooLargeException}); anything else escaping is a
 * bug. A decoded message must encode, and one more round through the codec must give the same bytes
 * (encoding is a fixpoint after one round: a timestamp beyond 2^53 is written as JavaScript would,
 * as a float, so the first round may round it). Memory is bounded: the bytes the decoding thread
 * allocates stay under {@link #ALLOCATED_BYTES_BASE} plus {@link #ALLOCATED_BYTES_PER_BYTE} per
 * input byte, whatever lengths the CBOR headers claim. Under {@code mvn test} Jazzer replays the
 * seeds in {@code src/test/resources/dev/converge/net/protocol/MessageCodecFuzzTestInputs/decode/}
 * (captured frames of every kind, and hostile length headers); to explore, run {@code JAZZER_FUZZ=1
 * mvn -pl converge-net test -Dtest=MessageCodecFuzzTest}. Every input that ever broke the decoder
 * belongs in that folder.
 */
class MessageCodecFuzzTest {
  /** Small limits, so that a frame at the limit is cheap and the fuzzer reaches it. */
  private static final CodecLimits LIMITS = new CodecLimits(1 << 16, 16, 1 << 16);

  private static final MessageCodec CODEC = new MessageCodec(LIMITS);

  /** What decoding any frame may allocate besides what grows with it: parser buffers, the tree. */
  static final long ALLOCATED_BYTES_BASE = 1 << 20;

  /** Per input byte: the tree of a frame of many small items costs some 50 to 100 bytes a byte. */
  static final long ALLOCATED_BYTES_PER_BYTE = 256;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] frame) {
    RepoMessage message;
    try {
      message = CODEC.decode(frame);
    } catch (ConvergeException expected) {
      assertDecodeAllocationBounded(frame);
      return;
    }
    assertDecodeAllocationBounded(frame);
    byte[] once = CODEC.encode(message);
    RepoMessage again = CODEC.decode(once);
    assertEquals(message.type(), again.type());
    assertEquals(message.senderId(), again.senderId());
    assertArrayEquals(once, CODEC.encode(again));
  }

  /**
   * Decodes {@code frame} again, counting what this thread allocates meanwhile. The first decode of
   * an input loads and initialises classes on this thread, which would count too; the second pays
   * only for the input.
   */
  private static void assertDecodeAllocationBounded(byte[] frame) {
    long threadId = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(threadId);
    try {
      CODEC.decode(frame);
    } catch (ConvergeException expected) {
      // Same outcome as the first time; only the allocation is measured here.
    }
    assertAllocationBounded(frame, before, threadId);
  }

  private static void assertAllocationBounded(byte[] frame, long before, long threadId) {
    long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
    long bound = ALLOCATED_BYTES_BASE + ALLOCATED_BYTES_PER_BYTE * frame.length;
    assertTrue(
        allocated <= bound,
        () ->
            "decoding a frame of "
                + frame.length
                + " bytes allocated "
                + allocated
                + " bytes, over the bound of "
                + bound);
  }

  /**
   * A frame whose CBOR header claims a string far longer than the frame (major type 2 or 3 with an
   * 8-byte length): refused as malformed, before anything of that size is allocated.
   */
  @ParameterizedTest
  @ValueSource(ints = {0x5b, 0x7b})
  void decode_stringLengthBeyondTheFrame_malformedWithinTheAllocationBound(int header) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0xa2);
    writeText(frame, "type");
    writeText(frame, "sync");
    writeText(frame, "data");
    frame.write(header);
    for (int i = 0; i < 8; i++) {
      frame.write(i == 4 ? 0x7f : 0);
    }
    byte[] bytes = frame.toByteArray();
    assertThrows(MalformedMessageException.class, () -> CODEC.decode(bytes));
    assertDecodeAllocationBounded(bytes);
  }

  /** Arrays and maps claiming 2^32 entries, in a frame of a few bytes. */
  @ParameterizedTest
  @ValueSource(ints = {0x9a, 0xba})
  void decode_containerCountBeyondTheFrame_malformedWithinTheAllocationBound(int header) {
    byte[] bytes = {(byte) 0xa1, 0x64, 't', 'y', 'p', 'e', (byte) header, -1, -1, -1, -1};
    assertThrows(MalformedMessageException.class, () -> CODEC.decode(bytes));
    assertDecodeAllocationBounded(bytes);
  }

  /** Nesting deeper than the limit, as a frame of nested one-element arrays. */
  @Test
  void decode_nestingBeyondTheLimit_malformed() {
    byte[] bytes = new byte[LIMITS.nestingDepthMax() * 4];
    bytes[0] = (byte) 0xa1;
    bytes[1] = 0x61;
    bytes[2] = 'x';
    java.util.Arrays.fill(bytes, 3, bytes.length, (byte) 0x81);
    assertThrows(MalformedMessageException.class, () -> CODEC.decode(bytes));
  }

  private static void writeText(ByteArrayOutputStream out, String text) {
    out.write(0x60 + text.length());
    out.writeBytes(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
