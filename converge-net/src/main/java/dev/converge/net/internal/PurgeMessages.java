package dev.converge.net.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.converge.core.CorruptDataException;
import dev.converge.net.protocol.MalformedMessageException;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.repo.DocumentId;
import java.io.IOException;

/**
 * The purge messages Converge peers add to the automerge-repo protocol. automerge-repo has no
 * purge, so they travel as message types it does not know ({@link RepoMessage.Unknown}), each a
 * CBOR map {@code {type, senderId, targetId, documentId}}:
 *
 * <ul>
 *   <li>{@value #PURGE}, client to server: purge this document (the server checks the client may
 *       write it);
 *   <li>{@value #QUERY}, client to server: was this document purged? A Converge client asks when
 *       the server answers {@code doc-unavailable} for a document the client holds;
 *   <li>{@value #PURGED}, server to client, only in answer to one of the two above: the document is
 *       purged; purge your copy.
 * </ul>
 *
 * <p>A JavaScript automerge-repo client never sends the first two, so it never receives the third:
 * for a purged document it gets {@code doc-unavailable}, as for any document the server lacks.
 */
public final class PurgeMessages {
  public static final String PURGE = "converge-purge";
  public static final String QUERY = "converge-purge-query";
  public static final String PURGED = "converge-purged";

  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  private PurgeMessages() {}

  public static boolean isPurgeMessage(String type) {
    return type.equals(PURGE) || type.equals(QUERY) || type.equals(PURGED);
  }

  public static RepoMessage.Unknown message(
      String type, String senderId, String targetId, DocumentId documentId) {
    ObjectNode root = CBOR.createObjectNode();
    root.put("type", type);
    root.put("senderId", senderId);
    root.put("targetId", targetId);
    root.put("documentId", documentId.toString());
    try {
      return new RepoMessage.Unknown(
          type, senderId, targetId, ProtocolAccess.wrap(CBOR.writeValueAsBytes(root)));
    } catch (IOException e) {
      throw new IllegalStateException("encoding a CBOR map in memory cannot fail", e);
    }
  }

  /**
   * The document a purge message names.
   *
   * @throws MalformedMessageException if the frame lacks a {@code documentId} that parses
   */
  public static DocumentId documentId(RepoMessage.Unknown message) {
    JsonNode root;
    try {
      root = CBOR.readTree(ProtocolAccess.unsafeArray(message.frame()));
    } catch (IOException e) {
      throw new MalformedMessageException(message.type() + " frame does not decode", e);
    }
    JsonNode field = root == null ? null : root.get("documentId");
    if (field == null || !field.isTextual()) {
      throw new MalformedMessageException(message.type() + " lacks a textual documentId");
    }
    try {
      return DocumentId.parse(field.textValue());
    } catch (CorruptDataException e) {
      throw new MalformedMessageException(
          message.type() + " documentId is not a document ID: " + e.getMessage(), e);
    }
  }
}
