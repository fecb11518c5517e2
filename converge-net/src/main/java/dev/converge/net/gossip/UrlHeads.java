package dev.converge.net.gossip;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.net.protocol.MalformedMessageException;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocumentId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Heads as automerge-repo writes them in gossip ({@code encodeHeads}): each change hash in
 * base58check, the form the heads part of an automerge URL uses, so that form is borrowed.
 */
public final class UrlHeads {
  private UrlHeads() {}

  public static List<String> encode(DocumentId documentId, List<ChangeHash> heads) {
    if (heads.isEmpty()) {
      return List.of();
    }
    String url = new AutomergeUrl(documentId, heads).toString();
    return Arrays.asList(url.substring(url.indexOf('#') + 1).split("\\|", -1));
  }

  /**
   * The change hashes {@code heads} name, each checked on its own (a peer's text could hold the URL
   * separators).
   *
   * @throws MalformedMessageException if one is not base58check of a 32-byte hash
   */
  static List<ChangeHash> decode(DocumentId documentId, List<String> heads) {
    List<ChangeHash> hashes = new ArrayList<>(heads.size());
    for (String head : heads) {
      List<ChangeHash> parsed;
      try {
        parsed = AutomergeUrl.parse(AutomergeUrl.SCHEME + documentId + "#" + head).heads();
      } catch (CorruptDataException e) {
        throw new MalformedMessageException("a gossiped head is not a change hash", e);
      }
      if (parsed.size() != 1) {
        throw new MalformedMessageException("a gossiped head holds " + parsed.size() + " hashes");
      }
      hashes.add(parsed.get(0));
    }
    return hashes;
  }
}
