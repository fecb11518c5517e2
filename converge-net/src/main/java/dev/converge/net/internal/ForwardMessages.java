package dev.converge.net.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.net.protocol.MalformedMessageException;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.repo.DocumentId;
import dev.converge.repo.spi.Forward;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The compaction messages Converge peers add to the automerge-repo protocol, as types it does not
 * know ({@link RepoMessage.Unknown}), each a CBOR map {@code {type, senderId, targetId, documentId,
 * successorId, heads}} ({@code heads}: the compacted heads, hex strings):
 *
 * <ul>
 *   <li>{@value #COMPACTED}, client to server: the client compacted {@code documentId} into {@code
 *       successorId} (or learned of it and moved): the server records the link, stops syncing the
 *       old document and answers {@value #MOVED};
 *   <li>{@value #MOVED}, server to client, in answer to {@value #COMPACTED} or to a {@value
 *       PurgeMessages#QUERY} for a compacted document: the document moved to {@code successorId};
 *       fetch it, and drop the old copy once that loses nothing.
 * </ul>
 *
 * <p>A JavaScript automerge-repo client never sends either, so it never receives {@value #MOVED}:
 * it gets {@code doc-unavailable} for a compacted document, as for any document the server lacks.
 */
public final class ForwardMessages {
  public static final String COMPACTED = "converge-compacted";
  public static final String MOVED = "converge-moved";

  /** The most compacted heads a message may carry: more is hostile (heads are concurrent tips). */
  public static final int HEADS_MAX = 1024;

  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  private ForwardMessages() {}

  public static boolean isForwardMessage(String type) {
    return type.equals(COMPACTED) || type.equals(MOVED);
  }

  public static RepoMessage.Unknown message(
      String type, String senderId, String targetId, Forward forward) {
    ObjectNode root = CBOR.createObjectNode();
    root.put("type", type);
    root.put("senderId", senderId);
    root.put("targetId", targetId);
    root.put("documentId", forward.documentId());
    root.put("successorId", forward.successorId());
    ArrayNode heads = root.putArray("heads");
    for (ChangeHash head : forward.compactedHeads()) {
      heads.add(head.toHex());
    }
    try {
      return new RepoMessage.Unknown(
          type, senderId, targetId, ProtocolAccess.wrap(CBOR.writeValueAsBytes(root)));
    } catch (IOException e) {
      throw new IllegalStateException("encoding a CBOR map in memory cannot fail", e);
    }
  }

  /**
   * The link a compaction message carries.
   *
   * @throws MalformedMessageException if a field is missing, of the wrong type, or invalid
   */
  public static Forward forward(RepoMessage.Unknown message) {
    JsonNode root;
    try {
      root = CBOR.readTree(ProtocolAccess.unsafeArray(message.frame()));
    } catch (IOException e) {
      throw new MalformedMessageException(message.type() + " frame does not decode", e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedMessageException(message.type() + " is not a map");
    }
    DocumentId old = documentId(message, root, "documentId");
    DocumentId successor = documentId(message, root, "successorId");
    if (old.equals(successor)) {
      throw new MalformedMessageException(message.type() + " forwards " + old + " to itself");
    }
    JsonNode heads = root.get("heads");
    if (heads == null || !heads.isArray() || heads.size() > HEADS_MAX) {
      throw new MalformedMessageException(
          message.type() + " lacks an array of at most " + HEADS_MAX + " heads");
    }
    List<ChangeHash> hashes = new ArrayList<>();
    for (JsonNode head : heads) {
      if (!head.isTextual()) {
        throw new MalformedMessageException(message.type() + " has a head that is not text");
      }
      try {
        hashes.add(ChangeHash.fromHex(head.textValue()));
      } catch (ConvergeException | IllegalArgumentException e) {
        throw new MalformedMessageException(
            message.type() + " has a head that is not a change hash: " + e.getMessage(), e);
      }
    }
    return new Forward(old.toString(), successor.toString(), hashes);
  }

  private static DocumentId documentId(RepoMessage.Unknown message, JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual()) {
      throw new MalformedMessageException(message.type() + " lacks a textual " + field);
    }
    try {
      return DocumentId.parse(value.textValue());
    } catch (ConvergeException e) {
      throw new MalformedMessageException(
          message.type() + " " + field + " is not a document ID: " + e.getMessage(), e);
    }
  }
}
