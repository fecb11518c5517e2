package dev.converge.net.protocol;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link MessageCodec#requireOneCborItem}, the check a server makes on every ephemeral payload it
 * relays (every JavaScript peer decodes it): one well-formed item, nothing after it, within the
 * nesting limit.
 */
class EphemeralDataCheckTest {
  private final MessageCodec codec = new MessageCodec();

  private void accepted(String hex) {
    codec.requireOneCborItem(Bytes.fromHex(hex));
  }

  private String refused(Bytes data) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> codec.requireOneCborItem(data));
    String message = String.valueOf(e.getMessage());
    assertTrue(message.startsWith("not one well-formed CBOR item: "), message);
    return message;
  }

  @Test
  void oneItem_ofAnyKind_isAccepted() {
    accepted("a0"); // {}
    accepted("a1616101"); // {"a": 1}
    accepted("83010203"); // [1, 2, 3]
    accepted("f6"); // null
    accepted("bf6161f5ff"); // indefinite map, as cbor-x may write
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    big.write(0x5a);
    big.writeBytes(new byte[] {0, 0x10, 0, 0});
    big.writeBytes(new byte[1 << 20]);
    codec.requireOneCborItem(Bytes.of(big.toByteArray())); // a 1 MiB byte string
  }

  @Test
  void nothing_garbage_truncated_orTwoItems_areRefused() {
    assertTrue(refused(Bytes.fromHex("")).endsWith("empty"));
    refused(Bytes.fromHex("ff00ff"));
    refused(Bytes.fromHex("a2616101")); // a map of two entries with one
    refused(Bytes.fromHex("5a00100000")); // a 1 MiB byte string with no bytes
    assertTrue(refused(Bytes.fromHex("a0a0")).endsWith("more follows the first"));
  }

  @Test
  void nestingBeyondTheLimit_isRefused() {
    refused(Bytes.fromHex("81".repeat(40) + "01"));
  }
}
