package dev.converge.net.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.protocol.RepoMessage.Peer;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.converge.net.protocol.RepoMessage.Request;
import dev.converge.net.protocol.RepoMessage.Sync;
import dev.converge.net.protocol.RepoMessage.Unknown;
import dev.converge.repo.DocumentId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
  private static final MessageCodec CODEC = new MessageCodec();
  private static final DocumentId DOC = DocumentId.parse("2gPEzaT71LC5eGyYVyxKYCRaJd16");

  static String[] frames() {
    return WireSample.ALL;
  }

  @Test
  void decode_capturedJoin_undefinedStorageIdIsAbsent() {
    Join join = assertInstanceOf(Join.class, CODEC.decode(WireSample.frame("capture1-01-join")));
    assertEquals("js-client-A", join.senderId());
    assertNull(join.peerMetadata().storageId());
    assertEquals(true, join.peerMetadata().isEphemeral());
    assertEquals(List.of("1"), join.supportedProtocolVersions());
  }

  @Test
  void decode_capturedPeer_allFields() {
    Peer peer = assertInstanceOf(Peer.class, CODEC.decode(WireSample.frame("capture1-02-peer")));
    assertEquals("js-sync-server", peer.senderId());
    assertEquals("js-client-A", peer.targetId());
    assertEquals(
        new PeerMetadata("818af1f1-dbff-47ba-b97b-7978d7a09ac6", false), peer.peerMetadata());
    assertEquals("1", peer.selectedProtocolVersion());
  }

  @Test
  void decode_capturedSync_dataIsTheSyncMessage() {
    Sync sync = assertInstanceOf(Sync.class, CODEC.decode(WireSample.frame("capture1-03-sync")));
    assertEquals("js-client-A", sync.senderId());
    assertEquals("js-sync-server", sync.targetId());
    assertEquals(DOC, sync.documentId());
    assertEquals(
        "420172659730390944dd15754bddafa51bd90997a73d3ac1d850c9ab7f30fa3d355a00010007030a071b091cbb00020284",
        sync.data().toHex());
    Sync whole = assertInstanceOf(Sync.class, CODEC.decode(WireSample.frame("capture1-05-sync")));
    assertEquals(466, whole.data().length());
  }

  @Test
  void decode_capturedRequestAndDocUnavailable() {
    Request request =
        assertInstanceOf(Request.class, CODEC.decode(WireSample.frame("capture2-03-request")));
    assertEquals("42000001000000020284", request.data().toHex());
    assertEquals("2MnRsZfaCruCFT5wFmskAvQqrJxr", request.documentId().toString());
    DocUnavailable unavailable =
        assertInstanceOf(
            DocUnavailable.class, CODEC.decode(WireSample.frame("capture2-05-doc-unavailable")));
    assertEquals("js-client-C", unavailable.targetId());
    assertEquals(request.documentId(), unavailable.documentId());
  }

  @ParameterizedTest
  @MethodSource("frames")
  void encode_capturedFrame_roundTrips(String name) {
    RepoMessage decoded = CODEC.decode(WireSample.frame(name));
    assertEquals(decoded, CODEC.decode(CODEC.encode(decoded)));
  }

  /**
   * cbor-x writes every map as {@code b9 00 NN}; we write the shortest header. With that one
   * difference (and the same key order) our bytes are the JavaScript bytes.
   */
  @ParameterizedTest
  @MethodSource("frames")
  void encode_capturedFrame_sameBytesUpToMapHeaders(String name) {
    if (name.endsWith("join")) {
      return; // the captured join writes storageId: undefined, which we leave out
    }
    byte[] captured = WireSample.frame(name);
    byte[] ours = CODEC.encode(CODEC.decode(captured));
    assertEquals(shortMapHeaders(Bytes.of(captured).toHex()), Bytes.of(ours).toHex());
  }

  private static String shortMapHeaders(String hex) {
    // Only the map headers in these frames match this pattern at an even offset.
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      if (hex.startsWith("b900", i) && i + 6 <= hex.length()) {
        int length = Integer.parseInt(hex.substring(i + 4, i + 6), 16);
        if (length < 24) {
          out.append(String.format("%02x", 0xa0 + length));
          i += 4;
          continue;
        }
      }
      out.append(hex, i, i + 2);
    }
    return out.toString();
  }

  @Test
  void decode_unknownFieldsAndIndefiniteMap_ignored() {
    // {_ "type": "doc-unavailable", "x": [1, {"y": null}], "documentId": ..., "targetId": "t",
    //  "senderId": "s", "extra": undefined }
    String doc = DOC.toString();
    StringBuilder hex = new StringBuilder("bf");
    hex.append(text("type")).append(text("doc-unavailable"));
    hex.append(text("x")).append("8201a1").append(text("y")).append("f6");
    hex.append(text("documentId")).append(text(doc));
    hex.append(text("targetId")).append(text("t"));
    hex.append(text("senderId")).append(text("s"));
    hex.append(text("extra")).append("f7");
    hex.append("ff");
    RepoMessage decoded = CODEC.decode(Bytes.fromHex(hex.toString()).toArray());
    assertEquals(new DocUnavailable("s", "t", DOC), decoded);
  }

  @Test
  void decode_unknownType_keptWhole() {
    byte[] frame =
        Bytes.fromHex("a2" + text("type") + text("future-thing") + text("senderId") + text("p"))
            .toArray();
    Unknown unknown = assertInstanceOf(Unknown.class, CODEC.decode(frame));
    assertEquals("future-thing", unknown.type());
    assertArrayEquals(frame, CODEC.encode(unknown));
  }

  @Test
  void encode_otherMessages_roundTrip() {
    List<RepoMessage> messages =
        List.of(
            new RepoMessage.ProtocolError("server", "client", "unsupported protocol version"),
            new RepoMessage.ProtocolError("server", null, "bad"),
            new Ephemeral("a", "b", DOC, Bytes.of(new byte[] {(byte) 0xa0}), 7, "abc123"),
            new RemoteSubscriptionChange("a", "b", List.of("s1"), List.of()),
            new RemoteHeadsChanged(
                "a", "b", DOC, Map.of("s1", new RemoteHeads(List.of("h1"), 1_700_000_000_000L))),
            new Join("c", PeerMetadata.NONE, List.of()));
    for (RepoMessage message : messages) {
      assertEquals(message, CODEC.decode(CODEC.encode(message)));
    }
  }

  @Test
  void encode_millisecondTimestamp_isAFloat64AsJavaScriptWritesIt() {
    // cbor-x would read a 64-bit CBOR integer as a BigInt, which JavaScript cannot mix with the
    // numbers Date.now() returns; it writes such a number itself as a float64 (0xfb).
    long timestamp = 1_795_989_581_141L;
    byte[] frame =
        CODEC.encode(
            new RemoteHeadsChanged(
                "a", "b", DOC, Map.of("s1", new RemoteHeads(List.of("h1"), timestamp))));
    byte[] expected = new byte[9];
    expected[0] = (byte) 0xfb;
    long bits = Double.doubleToLongBits((double) timestamp);
    for (int i = 0; i < 8; i++) {
      expected[1 + i] = (byte) (bits >>> (56 - 8 * i));
    }
    assertTrue(indexOf(frame, expected) >= 0, "a float64 timestamp in the frame");
    RemoteHeadsChanged decoded = assertInstanceOf(RemoteHeadsChanged.class, CODEC.decode(frame));
    assertEquals(new RemoteHeads(List.of("h1"), timestamp), decoded.newHeads().get("s1"));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void decode_frameOverLimit_refusedUnread() {
    MessageCodec small = new MessageCodec(CodecLimits.DEFAULT.withFrameBytesMax(100));
    FrameTooLargeException e =
        assertThrows(
            FrameTooLargeException.class, () -> small.decode(WireSample.frame("capture1-03-sync")));
    assertEquals(155, e.frameBytes());
    assertEquals(100, e.frameBytesMax());
  }

  @Test
  void decode_everyTruncationOfACapturedFrame_malformed() {
    byte[] frame = WireSample.frame("capture1-05-sync");
    for (int length = 0; length < frame.length; length++) {
      byte[] truncated = Arrays.copyOf(frame, length);
      assertThrows(MalformedMessageException.class, () -> CODEC.decode(truncated), "" + length);
    }
  }

  @Test
  void decode_badShapes_malformed() {
    String[] bad = {
      "ff", // break outside an indefinite item
      "01", // not a map
      "a1" + text("type") + "01", // type not text
      "a1" + text("type") + text("sync"), // no senderId
      "a4"
          + text("type")
          + text("sync")
          + text("senderId")
          + text("s")
          + text("targetId")
          + text("t")
          + text("documentId")
          + text(DOC.toString()), // no data
      "a5"
          + text("type")
          + text("sync")
          + text("senderId")
          + text("s")
          + text("targetId")
          + text("t")
          + text("documentId")
          + text(DOC.toString())
          + text("data")
          + text("not bytes"),
      "a5"
          + text("type")
          + text("sync")
          + text("senderId")
          + text("s")
          + text("targetId")
          + text("t")
          + text("documentId")
          + text("0OIl")
          + text("data")
          + "40", // bad doc id
      "a0a0", // two items
      "9f".repeat(40) + "ff".repeat(40), // nesting beyond the limit
    };
    for (String hex : bad) {
      assertThrows(
          MalformedMessageException.class, () -> CODEC.decode(Bytes.fromHex(hex).toArray()), hex);
    }
  }

  private static String text(String value) {
    byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String header =
        utf8.length < 24
            ? String.format("%02x", 0x60 + utf8.length)
            : String.format("78%02x", utf8.length);
    return header + Bytes.of(utf8).toHex();
  }
}
