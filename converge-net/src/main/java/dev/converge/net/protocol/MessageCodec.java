package dev.converge.net.protocol;

import static dev.converge.net.protocol.CborFields.documentId;
import static dev.converge.net.protocol.CborFields.metadata;
import static dev.converge.net.protocol.CborFields.newHeads;
import static dev.converge.net.protocol.CborFields.optionalText;
import static dev.converge.net.protocol.CborFields.optionalTextList;
import static dev.converge.net.protocol.CborFields.requiredBytes;
import static dev.converge.net.protocol.CborFields.requiredLong;
import static dev.converge.net.protocol.CborFields.requiredText;
import static dev.converge.net.protocol.CborFields.target;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.net.protocol.RepoMessage.DocUnavailable;
import dev.converge.net.protocol.RepoMessage.DocumentMessage;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.protocol.RepoMessage.Peer;
import dev.converge.net.protocol.RepoMessage.ProtocolError;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import dev.converge.net.protocol.RepoMessage.Request;
import dev.converge.net.protocol.RepoMessage.Sealed;
import dev.converge.net.protocol.RepoMessage.Sync;
import dev.converge.net.protocol.RepoMessage.Unknown;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes automerge-repo frames: one CBOR map with text keys per WebSocket binary
 * message, as automerge-repo's WebSocket adapters exchange them.
 *
 * <p>Decoding is tolerant of what cbor-x writes: any map length encoding ({@code b9 00 NN},
 * indefinite), any key order, {@code undefined} or {@code null} for absent optional fields, and
 * unknown fields, which are ignored. It is strict about everything else: a frame longer than {@link
 * CodecLimits#frameBytesMax()} is refused unread, and a frame that is not exactly one CBOR map, or
 * lacks a required field, or has one of the wrong type, is a {@link MalformedMessageException}.
 *
 * <p>Encoding writes definite-length maps with the shortest headers, keys in the order the
 * JavaScript implementation uses.
 *
 * <p>Thread-safety: immutable, safe for use by many threads.
 */
public final class MessageCodec {
  /**
   * Room for a frame's fields besides its payload (type, IDs, counters): most frames fit, and a
   * larger one grows its buffer once or twice.
   */
  private static final int FIELDS_BYTES = 512;

  private final CodecLimits limits;
  private final ObjectMapper mapper;
  private final CBORFactory factory;

  public MessageCodec(CodecLimits limits) {
    this.limits = limits;
    this.factory =
        CBORFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.nestingDepthMax())
                    .maxStringLength(limits.stringBytesMax())
                    .maxDocumentLength(limits.frameBytesMax())
                    .build())
            .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public MessageCodec() {
    this(CodecLimits.DEFAULT);
  }

  public CodecLimits limits() {
    return limits;
  }

  /**
   * Decodes one frame.
   *
   * @throws FrameTooLargeException if the frame is longer than the limit; it was not parsed
   * @throws MalformedMessageException if it is not one well-formed message
   */
  public RepoMessage decode(byte[] frame) {
    if (frame.length > limits.frameBytesMax()) {
      throw new FrameTooLargeException(frame.length, limits.frameBytesMax());
    }
    if (frame.length == 0) {
      throw new MalformedMessageException("empty frame");
    }
    JsonNode root;
    try {
      root = mapper.readTree(frame);
    } catch (IOException | RuntimeException e) {
      throw new MalformedMessageException("frame is not valid CBOR: " + problem(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedMessageException(
          "frame is not a CBOR map but " + (root == null ? "nothing" : root.getNodeType()));
    }
    return fromFields(root, requiredText(root, "type"), requiredText(root, "senderId"), frame);
  }

  private static RepoMessage fromFields(JsonNode root, String type, String senderId, byte[] frame) {
    switch (type) {
      case "join":
        return new Join(
            senderId,
            metadata(root, "peerMetadata"),
            optionalTextList(root, "supportedProtocolVersions"));
      case "peer":
        return new Peer(
            senderId,
            target(root),
            metadata(root, "peerMetadata"),
            requiredText(root, "selectedProtocolVersion"));
      case "error":
        {
          String message = optionalText(root, "message");
          return new ProtocolError(
              senderId, optionalText(root, "targetId"), message == null ? "" : message);
        }
      case "request":
        return new Request(senderId, target(root), documentId(root), requiredBytes(root, "data"));
      case "sync":
        return new Sync(senderId, target(root), documentId(root), requiredBytes(root, "data"));
      case "doc-unavailable":
        return new DocUnavailable(senderId, target(root), documentId(root));
      case "ephemeral":
        {
          String sessionId = requiredText(root, "sessionId");
          return new Ephemeral(
              senderId,
              target(root),
              documentId(root),
              requiredBytes(root, "data"),
              requiredLong(root, "count"),
              sessionId);
        }
      case "remote-subscription-change":
        return new RemoteSubscriptionChange(
            senderId,
            target(root),
            optionalTextList(root, "add"),
            optionalTextList(root, "remove"));
      case "remote-heads-changed":
        return new RemoteHeadsChanged(senderId, target(root), documentId(root), newHeads(root));
      case Sealed.TYPE:
        return new Sealed(senderId, target(root), requiredBytes(root, "data"));
      default:
        return new Unknown(type, senderId, optionalText(root, "targetId"), Bytes.of(frame));
    }
  }

  /** Encodes one message as one frame. */
  public byte[] encode(RepoMessage message) {
    if (message instanceof Unknown unknown) {
      return unknown.frame().toArray();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(FIELDS_BYTES + payloadBytes(message));
    try (JsonGenerator gen = factory.createGenerator(out)) {
      writeFields(gen, message);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * The size of {@code message}'s binary payload, 0 if it has none. The buffer a frame is encoded
   * into is sized for it up front: grown by doubling from a few bytes, a 512 KiB ephemeral message
   * relayed to a dozen peers cost each of them about twice its size again in copies.
   */
  private static int payloadBytes(RepoMessage message) {
    if (message instanceof Sync sync) {
      return sync.data().length();
    } else if (message instanceof Ephemeral ephemeral) {
      return ephemeral.data().length();
    } else if (message instanceof Request request) {
      return request.data().length();
    } else if (message instanceof Sealed sealed) {
      return sealed.data().length();
    }
    return 0;
  }

  /**
   * Writes the start of the map and every field of {@code message}, in the order the JavaScript
   * implementation writes them (so that our frames are byte for byte theirs).
   */
  private static void writeFields(JsonGenerator gen, RepoMessage message) throws IOException {
    if (message instanceof Join join) {
      start(gen, join, 4);
      gen.writeStringField("senderId", join.senderId());
      writeMetadata(gen, join.peerMetadata());
      writeTextList(gen, "supportedProtocolVersions", join.supportedProtocolVersions());
    } else if (message instanceof Peer peer) {
      start(gen, peer, 5);
      gen.writeStringField("senderId", peer.senderId());
      writeMetadata(gen, peer.peerMetadata());
      gen.writeStringField("selectedProtocolVersion", peer.selectedProtocolVersion());
      gen.writeStringField("targetId", peer.targetId());
    } else if (message instanceof ProtocolError error) {
      String targetId = error.targetId();
      start(gen, error, targetId == null ? 3 : 4);
      gen.writeStringField("senderId", error.senderId());
      gen.writeStringField("message", error.message());
      if (targetId != null) {
        gen.writeStringField("targetId", targetId);
      }
    } else if (message instanceof Request request) {
      // The JavaScript Repo builds a request with documentId before data.
      start(gen, request, 5);
      gen.writeStringField("targetId", request.targetId());
      writeDocumentId(gen, request);
      writeBinary(gen, "data", request.data());
      gen.writeStringField("senderId", request.senderId());
    } else if (message instanceof Sync sync) {
      start(gen, sync, 5);
      gen.writeStringField("targetId", sync.targetId());
      writeBinary(gen, "data", sync.data());
      writeDocumentId(gen, sync);
      gen.writeStringField("senderId", sync.senderId());
    } else {
      writeOtherFields(gen, message);
    }
  }

  /** {@link #writeFields} for the messages after the handshake and sync. */
  private static void writeOtherFields(JsonGenerator gen, RepoMessage message) throws IOException {
    if (message instanceof DocUnavailable unavailable) {
      start(gen, unavailable, 4);
      writeDocumentId(gen, unavailable);
      gen.writeStringField("targetId", unavailable.targetId());
      gen.writeStringField("senderId", unavailable.senderId());
    } else if (message instanceof Ephemeral ephemeral) {
      start(gen, ephemeral, 7);
      gen.writeStringField("targetId", ephemeral.targetId());
      gen.writeNumberField("count", ephemeral.count());
      gen.writeStringField("sessionId", ephemeral.sessionId());
      writeDocumentId(gen, ephemeral);
      writeBinary(gen, "data", ephemeral.data());
      gen.writeStringField("senderId", ephemeral.senderId());
    } else if (message instanceof RemoteSubscriptionChange change) {
      start(gen, change, 5);
      gen.writeStringField("targetId", change.targetId());
      writeTextList(gen, "add", change.add());
      writeTextList(gen, "remove", change.remove());
      gen.writeStringField("senderId", change.senderId());
    } else if (message instanceof RemoteHeadsChanged changed) {
      start(gen, changed, 5);
      gen.writeStringField("targetId", changed.targetId());
      writeDocumentId(gen, changed);
      writeNewHeads(gen, changed.newHeads());
      gen.writeStringField("senderId", changed.senderId());
    } else if (message instanceof Sealed sealed) {
      start(gen, sealed, 4);
      gen.writeStringField("senderId", sealed.senderId());
      gen.writeStringField("targetId", sealed.targetId());
      writeBinary(gen, "data", sealed.data());
    } else {
      throw new AssertionError(message);
    }
  }

  /** Starts a map of {@code size} fields with the message's {@code type}. */
  private static void start(JsonGenerator gen, RepoMessage message, int size) throws IOException {
    gen.writeStartObject(message, size);
    gen.writeStringField("type", message.type());
  }

  private static void writeDocumentId(JsonGenerator gen, DocumentMessage message)
      throws IOException {
    gen.writeStringField("documentId", message.documentId().toString());
  }

  private static void writeNewHeads(JsonGenerator gen, Map<String, RemoteHeads> newHeads)
      throws IOException {
    gen.writeFieldName("newHeads");
    gen.writeStartObject(newHeads, newHeads.size());
    for (Map.Entry<String, RemoteHeads> entry : newHeads.entrySet()) {
      gen.writeFieldName(entry.getKey());
      gen.writeStartObject(entry.getValue(), 2);
      writeTextList(gen, "heads", entry.getValue().heads());
      writeJavaScriptNumber(gen, "timestamp", entry.getValue().timestamp());
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  /**
   * Checks that {@code data} is one well-formed CBOR item within the limits, as the payload of an
   * ephemeral message must be: every JavaScript peer that receives it decodes it.
   *
   * @throws IllegalArgumentException if it is not
   */
  void requireOneCborItem(Bytes data) {
    // Streamed, not read into a tree: a server checks every ephemeral message it relays, and a
    // tree would copy every byte string in it (skipped here unread).
    String trouble = null;
    try (JsonParser parser = factory.createParser(data.unsafeArray())) {
      if (parser.nextToken() == null) {
        trouble = "empty";
      } else {
        parser.skipChildren();
        trouble = parser.nextToken() == null ? null : "more follows the first";
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not one well-formed CBOR item: " + problem(e), e);
    }
    if (trouble != null) {
      throw new IllegalArgumentException("not one well-formed CBOR item: " + trouble);
    }
  }

  /**
   * What the parser found wrong, without its location suffix ({@code at [Source: (byte[])"...}),
   * which quotes the input and names our internals.
   */
  private static String problem(Exception e) {
    String message =
        e instanceof JsonProcessingException processing
            ? processing.getOriginalMessage()
            : e.getMessage();
    return message == null ? "unreadable" : message;
  }

  private static void writeBinary(JsonGenerator gen, String name, Bytes data) throws IOException {
    gen.writeFieldName(name);
    byte[] bytes = data.unsafeArray();
    gen.writeBinary(bytes, 0, bytes.length);
  }

  private static void writeTextList(JsonGenerator gen, String field, List<String> values)
      throws IOException {
    gen.writeFieldName(field);
    gen.writeStartArray(values, values.size());
    for (String value : values) {
      gen.writeString(value);
    }
    gen.writeEndArray();
  }

  private static void writeMetadata(JsonGenerator gen, PeerMetadata metadata) throws IOException {
    String storageId = metadata.storageId();
    Boolean ephemeral = metadata.isEphemeral();
    gen.writeFieldName("peerMetadata");
    gen.writeStartObject(metadata, (storageId == null ? 0 : 1) + (ephemeral == null ? 0 : 1));
    if (storageId != null) {
      gen.writeStringField("storageId", storageId);
    }
    if (ephemeral != null) {
      gen.writeBooleanField("isEphemeral", ephemeral);
    }
    gen.writeEndObject();
  }

  /**
   * Writes an integer as cbor-x (automerge-repo's CBOR) writes a JavaScript number: beyond 32 bits
   * as a float64. cbor-x reads a 64-bit CBOR integer back as a BigInt, which JavaScript code cannot
   * mix with numbers (a millisecond timestamp minus {@code Date.now()} would throw).
   */
  private static void writeJavaScriptNumber(JsonGenerator gen, String name, long value)
      throws IOException {
    gen.writeFieldName(name);
    if (value >= -(1L << 31) && value <= 0xFFFF_FFFFL) {
      gen.writeNumber(value);
    } else {
      gen.writeNumber((double) value);
    }
  }
}
