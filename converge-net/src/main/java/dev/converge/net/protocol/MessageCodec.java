package dev.converge.net.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.core.CorruptDataException;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes automerge-repo frames: one CBOR map with text keys per WebSocket binary
 * message (automerge-compat §4.1).
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
    String type = requiredText(root, "type");
    String senderId = requiredText(root, "senderId");
    switch (type) {
      case "join":
        return new Join(
            senderId,
            metadata(root, "peerMetadata"),
            optionalTextList(root, "supportedProtocolVersions"));
      case "peer":
        return new Peer(
            senderId,
            requiredText(root, "targetId"),
            metadata(root, "peerMetadata"),
            requiredText(root, "selectedProtocolVersion"));
      case "error":
        {
          String message = optionalText(root, "message");
          return new RepoMessage.ProtocolError(
              senderId, optionalText(root, "targetId"), message == null ? "" : message);
        }
      case "request":
        return new Request(
            senderId,
            requiredText(root, "targetId"),
            documentId(root),
            requiredBytes(root, "data"));
      case "sync":
        return new Sync(
            senderId,
            requiredText(root, "targetId"),
            documentId(root),
            requiredBytes(root, "data"));
      case "doc-unavailable":
        return new DocUnavailable(senderId, requiredText(root, "targetId"), documentId(root));
      case "ephemeral":
        {
          String sessionId = requiredText(root, "sessionId");
          return new Ephemeral(
              senderId,
              requiredText(root, "targetId"),
              documentId(root),
              requiredBytes(root, "data"),
              requiredLong(root, "count"),
              sessionId);
        }
      case "remote-subscription-change":
        return new RemoteSubscriptionChange(
            senderId,
            requiredText(root, "targetId"),
            optionalTextList(root, "add"),
            optionalTextList(root, "remove"));
      case "remote-heads-changed":
        return new RemoteHeadsChanged(
            senderId, requiredText(root, "targetId"), documentId(root), newHeads(root));
      case RepoMessage.Sealed.TYPE:
        return new RepoMessage.Sealed(
            senderId, requiredText(root, "targetId"), requiredBytes(root, "data"));
      default:
        return new Unknown(type, senderId, optionalText(root, "targetId"), Bytes.of(frame));
    }
  }

  /** Encodes one message as one frame. */
  public byte[] encode(RepoMessage message) {
    if (message instanceof Unknown unknown) {
      return unknown.frame().toArray();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator gen = factory.createGenerator(out)) {
      if (message instanceof Join join) {
        gen.writeStartObject(join, 4);
        gen.writeStringField("type", join.type());
        gen.writeStringField("senderId", join.senderId());
        writeMetadata(gen, join.peerMetadata());
        gen.writeFieldName("supportedProtocolVersions");
        gen.writeStartArray(
            join.supportedProtocolVersions(), join.supportedProtocolVersions().size());
        for (String version : join.supportedProtocolVersions()) {
          gen.writeString(version);
        }
        gen.writeEndArray();
        gen.writeEndObject();
      } else if (message instanceof Peer peer) {
        gen.writeStartObject(peer, 5);
        gen.writeStringField("type", peer.type());
        gen.writeStringField("senderId", peer.senderId());
        writeMetadata(gen, peer.peerMetadata());
        gen.writeStringField("selectedProtocolVersion", peer.selectedProtocolVersion());
        gen.writeStringField("targetId", peer.targetId());
        gen.writeEndObject();
      } else if (message instanceof RepoMessage.ProtocolError error) {
        String targetId = error.targetId();
        gen.writeStartObject(error, targetId == null ? 3 : 4);
        gen.writeStringField("type", error.type());
        gen.writeStringField("senderId", error.senderId());
        gen.writeStringField("message", error.message());
        if (targetId != null) {
          gen.writeStringField("targetId", targetId);
        }
        gen.writeEndObject();
      } else if (message instanceof Request request) {
        // The JavaScript Repo builds a request with documentId before data.
        gen.writeStartObject(request, 5);
        gen.writeStringField("type", request.type());
        gen.writeStringField("targetId", request.targetId());
        gen.writeStringField("documentId", request.documentId().toString());
        gen.writeFieldName("data");
        writeBinary(gen, request.data());
        gen.writeStringField("senderId", request.senderId());
        gen.writeEndObject();
      } else if (message instanceof Sync sync) {
        gen.writeStartObject(sync, 5);
        gen.writeStringField("type", sync.type());
        gen.writeStringField("targetId", sync.targetId());
        gen.writeFieldName("data");
        writeBinary(gen, sync.data());
        gen.writeStringField("documentId", sync.documentId().toString());
        gen.writeStringField("senderId", sync.senderId());
        gen.writeEndObject();
      } else if (message instanceof DocUnavailable unavailable) {
        gen.writeStartObject(unavailable, 4);
        gen.writeStringField("type", unavailable.type());
        gen.writeStringField("documentId", unavailable.documentId().toString());
        gen.writeStringField("targetId", unavailable.targetId());
        gen.writeStringField("senderId", unavailable.senderId());
        gen.writeEndObject();
      } else if (message instanceof Ephemeral ephemeral) {
        gen.writeStartObject(ephemeral, 7);
        gen.writeStringField("type", ephemeral.type());
        gen.writeStringField("targetId", ephemeral.targetId());
        gen.writeNumberField("count", ephemeral.count());
        gen.writeStringField("sessionId", ephemeral.sessionId());
        gen.writeStringField("documentId", ephemeral.documentId().toString());
        gen.writeFieldName("data");
        writeBinary(gen, ephemeral.data());
        gen.writeStringField("senderId", ephemeral.senderId());
        gen.writeEndObject();
      } else if (message instanceof RemoteSubscriptionChange change) {
        gen.writeStartObject(change, 5);
        gen.writeStringField("type", change.type());
        gen.writeStringField("targetId", change.targetId());
        writeTextList(gen, "add", change.add());
        writeTextList(gen, "remove", change.remove());
        gen.writeStringField("senderId", change.senderId());
        gen.writeEndObject();
      } else if (message instanceof RemoteHeadsChanged changed) {
        gen.writeStartObject(changed, 5);
        gen.writeStringField("type", changed.type());
        gen.writeStringField("targetId", changed.targetId());
        gen.writeStringField("documentId", changed.documentId().toString());
        gen.writeFieldName("newHeads");
        gen.writeStartObject(changed.newHeads(), changed.newHeads().size());
        for (Map.Entry<String, RemoteHeads> entry : changed.newHeads().entrySet()) {
          gen.writeFieldName(entry.getKey());
          gen.writeStartObject(entry.getValue(), 2);
          writeTextList(gen, "heads", entry.getValue().heads());
          writeJavaScriptNumber(gen, "timestamp", entry.getValue().timestamp());
          gen.writeEndObject();
        }
        gen.writeEndObject();
        gen.writeStringField("senderId", changed.senderId());
        gen.writeEndObject();
      } else if (message instanceof RepoMessage.Sealed sealed) {
        gen.writeStartObject(sealed, 4);
        gen.writeStringField("type", sealed.type());
        gen.writeStringField("senderId", sealed.senderId());
        gen.writeStringField("targetId", sealed.targetId());
        gen.writeFieldName("data");
        writeBinary(gen, sealed.data());
        gen.writeEndObject();
      } else {
        throw new AssertionError(message);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("encoding to memory failed", e);
    }
    return out.toByteArray();
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

  private static void writeBinary(JsonGenerator gen, Bytes data) throws IOException {
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

  /** Absent, null and undefined all read as absent. */
  private static @Nullable JsonNode field(JsonNode root, String name) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node;
  }

  private static String requiredText(JsonNode root, String name) {
    String text = optionalText(root, name);
    if (text == null) {
      throw new MalformedMessageException(
          "message " + describe(root) + " lacks the text field '" + name + "'");
    }
    return text;
  }

  private static @Nullable String optionalText(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw new MalformedMessageException(
          "field '" + name + "' of " + describe(root) + " is " + node.getNodeType() + ", not text");
    }
    return node.textValue();
  }

  private static long requiredLong(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null || !node.isNumber() || !node.canConvertToLong()) {
      throw new MalformedMessageException(
          "message " + describe(root) + " lacks the integer field '" + name + "'");
    }
    return node.asLong();
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

  private static Bytes requiredBytes(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null || !node.isBinary()) {
      throw new MalformedMessageException(
          "message "
              + describe(root)
              + " lacks the byte string field '"
              + name
              + "'"
              + (node == null ? "" : " (found " + node.getNodeType() + ")"));
    }
    try {
      return Bytes.wrap(node.binaryValue());
    } catch (IOException e) {
      throw new MalformedMessageException("field '" + name + "' is not binary", e);
    }
  }

  private static List<String> optionalTextList(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new MalformedMessageException(
          "field '"
              + name
              + "' of "
              + describe(root)
              + " is "
              + node.getNodeType()
              + ", not an array");
    }
    List<String> values = new ArrayList<>(node.size());
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new MalformedMessageException(
            "field '" + name + "' of " + describe(root) + " holds " + element.getNodeType());
      }
      values.add(element.textValue());
    }
    return values;
  }

  private static PeerMetadata metadata(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null) {
      return PeerMetadata.NONE;
    }
    if (!node.isObject()) {
      throw new MalformedMessageException(
          "field '"
              + name
              + "' of "
              + describe(root)
              + " is "
              + node.getNodeType()
              + ", not a map");
    }
    String storageId = optionalText(node, "storageId");
    JsonNode ephemeral = field(node, "isEphemeral");
    if (ephemeral != null && !ephemeral.isBoolean()) {
      throw new MalformedMessageException(
          "peerMetadata.isEphemeral of " + describe(root) + " is " + ephemeral.getNodeType());
    }
    return new PeerMetadata(storageId, ephemeral == null ? null : ephemeral.booleanValue());
  }

  private static DocumentId documentId(JsonNode root) {
    String text = requiredText(root, "documentId");
    try {
      return DocumentId.parse(text);
    } catch (CorruptDataException e) {
      throw new MalformedMessageException(
          "documentId of " + describe(root) + " is not a document ID: " + e.getMessage(), e);
    }
  }

  private static Map<String, RemoteHeads> newHeads(JsonNode root) {
    JsonNode node = field(root, "newHeads");
    if (node == null) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new MalformedMessageException("newHeads of " + describe(root) + " is not a map");
    }
    Map<String, RemoteHeads> heads = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      JsonNode value = entry.getValue();
      if (!value.isObject()) {
        throw new MalformedMessageException("newHeads." + entry.getKey() + " is not a map");
      }
      JsonNode timestamp = field(value, "timestamp");
      heads.put(
          entry.getKey(),
          new RemoteHeads(
              optionalTextList(value, "heads"),
              timestamp != null && timestamp.isNumber() ? timestamp.asLong() : 0));
    }
    return heads;
  }

  private static String describe(JsonNode root) {
    JsonNode type = root.get("type");
    return type != null && type.isTextual() ? "'" + type.textValue() + "'" : "(no type)";
  }
}
