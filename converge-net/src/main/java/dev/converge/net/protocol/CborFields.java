package dev.converge.net.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.core.CorruptDataException;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.repo.DocumentId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields of a decoded frame (a CBOR map as a Jackson tree) for {@link MessageCodec}: each
 * reader checks the field's type and throws {@link MalformedMessageException}, naming the field and
 * the message type, when a required field is absent or a field has the wrong type.
 */
final class CborFields {
  private CborFields() {}

  /** Absent, null and undefined all read as absent. */
  private static @Nullable JsonNode field(JsonNode root, String name) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node;
  }

  /** The {@code targetId} every message after {@code join} carries. */
  static String target(JsonNode root) {
    return requiredText(root, "targetId");
  }

  static String requiredText(JsonNode root, String name) {
    String text = optionalText(root, name);
    if (text == null) {
      throw new MalformedMessageException(
          "message " + describe(root) + " lacks the text field '" + name + "'");
    }
    return text;
  }

  static @Nullable String optionalText(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw wrongType(root, name, node, "text");
    }
    return node.textValue();
  }

  static long requiredLong(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null || !node.isNumber() || !node.canConvertToLong()) {
      throw new MalformedMessageException(
          "message " + describe(root) + " lacks the integer field '" + name + "'");
    }
    return node.asLong();
  }

  static Bytes requiredBytes(JsonNode root, String name) {
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

  static List<String> optionalTextList(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw wrongType(root, name, node, "an array");
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

  static PeerMetadata metadata(JsonNode root, String name) {
    JsonNode node = field(root, name);
    if (node == null) {
      return PeerMetadata.NONE;
    }
    if (!node.isObject()) {
      throw wrongType(root, name, node, "a map");
    }
    String storageId = optionalText(node, "storageId");
    JsonNode ephemeral = field(node, "isEphemeral");
    if (ephemeral != null && !ephemeral.isBoolean()) {
      throw new MalformedMessageException(
          "peerMetadata.isEphemeral of " + describe(root) + " is " + ephemeral.getNodeType());
    }
    return new PeerMetadata(storageId, ephemeral == null ? null : ephemeral.booleanValue());
  }

  static DocumentId documentId(JsonNode root) {
    String text = requiredText(root, "documentId");
    try {
      return DocumentId.parse(text);
    } catch (CorruptDataException e) {
      throw new MalformedMessageException(
          "documentId of " + describe(root) + " is not a document ID: " + e.getMessage(), e);
    }
  }

  static Map<String, RemoteHeads> newHeads(JsonNode root) {
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

  private static MalformedMessageException wrongType(
      JsonNode root, String name, JsonNode node, String expected) {
    return new MalformedMessageException(
        "field '"
            + name
            + "' of "
            + describe(root)
            + " is "
            + node.getNodeType()
            + ", not "
            + expected);
  }
}
