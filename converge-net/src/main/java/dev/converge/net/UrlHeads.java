package dev.converge.net;

import dev.converge.core.ChangeHash;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocumentId;
import java.util.Arrays;
import java.util.List;

/**
 * Heads as automerge-repo writes them in gossip ({@code encodeHeads}): each change hash in
 * base58check, the form the heads part of an automerge URL uses, so that form is borrowed.
 */
final class UrlHeads {
  private UrlHeads() {}

  static List<String> encode(DocumentId documentId, List<ChangeHash> heads) {
    if (heads.isEmpty()) {
      return List.of();
    }
    String url = new AutomergeUrl(documentId, heads).toString();
    return Arrays.asList(url.substring(url.indexOf('#') + 1).split("\\|", -1));
  }
}
