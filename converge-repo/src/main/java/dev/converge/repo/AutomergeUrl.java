package dev.converge.repo;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An automerge-repo document URL: {@code automerge:} followed by the document ID, and optionally
 * {@code #} followed by heads, each the base58check form of a change hash, joined by {@code |}.
 * Heads name a version of the document (time travel); without them the URL names its latest state.
 */
public record AutomergeUrl(DocumentId documentId, List<ChangeHash> heads) {
  public static final String SCHEME = "automerge:";

  // automerge-repo 2.5 requires the ID part to match \w+.
  private static final Pattern WORD = Pattern.compile("\\w+");

  public AutomergeUrl {
    Objects.requireNonNull(documentId, "documentId");
    heads = List.copyOf(heads);
  }

  /** The URL of the latest state of {@code documentId}. */
  public static AutomergeUrl of(DocumentId documentId) {
    return new AutomergeUrl(documentId, List.of());
  }

  /**
   * Parses a URL, or a bare document ID as automerge-repo also accepts.
   *
   * @throws CorruptDataException if the ID or a head is not valid base58check, or a head is not a
   *     32-byte hash
   */
  public static AutomergeUrl parse(String text) {
    String rest = text.startsWith(SCHEME) ? text.substring(SCHEME.length()) : text;
    int hashMark = rest.indexOf('#');
    String idPart = hashMark < 0 ? rest : rest.substring(0, hashMark);
    if (!WORD.matcher(idPart).matches()) {
      throw new CorruptDataException("not an automerge URL: '" + truncate(text) + "'");
    }
    DocumentId id = DocumentId.parse(idPart);
    List<ChangeHash> heads = new ArrayList<>();
    if (hashMark >= 0) {
      for (String head : rest.substring(hashMark + 1).split("\\|", -1)) {
        byte[] bytes = Base58Check.decode(head);
        if (bytes.length != ChangeHash.LENGTH) {
          throw new CorruptDataException(
              "a head in a URL is " + ChangeHash.LENGTH + " bytes, found " + bytes.length);
        }
        heads.add(ChangeHash.of(bytes));
      }
    }
    return new AutomergeUrl(id, heads);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(SCHEME).append(documentId);
    for (int i = 0; i < heads.size(); i++) {
      out.append(i == 0 ? '#' : '|').append(Base58Check.encode(heads.get(i).toBytes()));
    }
    return out.toString();
  }

  private static String truncate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
