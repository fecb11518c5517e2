package dev.converge.repo.sqlite;

import dev.converge.core.ChangeHash;
import dev.converge.repo.spi.CorruptStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heads as stored in a TEXT column: a JSON array of hex hashes, sorted. */
final class Heads {
  private static final Pattern ARRAY =
      Pattern.compile("\\[(\"[0-9a-f]{64}\"(,\"[0-9a-f]{64}\")*)?\\]");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private Heads() {}

  static String toJson(List<ChangeHash> heads) {
    List<String> hex = new ArrayList<>(heads.size());
    for (ChangeHash head : heads) {
      hex.add(head.toHex());
    }
    hex.sort(null);
    StringJoiner out = new StringJoiner(",", "[", "]");
    for (String head : hex) {
      out.add("\"" + head + "\"");
    }
    return out.toString();
  }

  /**
   * Parses what {@link #toJson} wrote.
   *
   * @throws CorruptStoreException naming {@code where} if {@code json} is not such an array
   */
  static List<ChangeHash> fromJson(String json, String where) {
    if (!ARRAY.matcher(json).matches()) {
      throw new CorruptStoreException(
          "the heads recorded for " + where + " are malformed: " + truncate(json));
    }
    List<ChangeHash> heads = new ArrayList<>();
    Matcher hash = HASH.matcher(json);
    while (hash.find()) {
      heads.add(ChangeHash.fromHex(hash.group()));
    }
    return heads;
  }

  private static String truncate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
