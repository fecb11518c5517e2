package dev.converge.server.inspector;

import dev.converge.core.ChangeHash;
import dev.converge.core.DocumentHistory;
import dev.converge.core.ObjId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.util.Fields;

/** The inspector's query parameters, each parsed or refused with a {@link BadRequestException}. */
final class QueryParams {
  private final Fields fields;

  QueryParams(Fields fields) {
    this.fields = fields;
  }

  Optional<String> text(String name) {
    return Optional.ofNullable(fields.getValue(name));
  }

  /** Whether the request names the version {@code name} (by heads or by count). */
  boolean isPresent(String name) {
    return fields.getValue(name) != null || fields.getValue(name + "_count") != null;
  }

  /** A count or index from 0 to {@code max}; {@code fallback} when absent. */
  int integer(String name, int fallback, int max) {
    String text = fields.getValue(name);
    if (text == null) {
      return fallback;
    }
    String expected = "an integer from 0 to " + max;
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
      throw new BadRequestException(name, expected, text);
    }
    long value = Long.parseLong(text);
    if (value > max) {
      throw new BadRequestException(name, expected, text);
    }
    return (int) value;
  }

  ObjId obj(String name) {
    String text = fields.getValue(name);
    if (text == null) {
      return ObjId.ROOT;
    }
    try {
      return ObjId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(name, "_root or COUNTER@ACTOR", text, e);
    }
  }

  /**
   * A version of the document: {@code NAME=HASH,HASH} (heads in hex; empty for the empty document)
   * or {@code NAME_count=N} (the first N changes applied); the current heads when both are absent.
   */
  List<ChangeHash> version(String name, DocumentHistory doc) {
    String heads = fields.getValue(name);
    String count = fields.getValue(name + "_count");
    if (heads != null && count != null) {
      throw new BadRequestException(name, "heads or a count, not both", heads + "&" + count);
    }
    if (count != null) {
      return doc.headsOfFirst(integer(name + "_count", 0, doc.changeCount()));
    }
    if (heads == null) {
      return doc.heads();
    }
    List<ChangeHash> hashes = new ArrayList<>();
    for (String hex : heads.split(",", -1)) {
      if (hex.isEmpty() && heads.isEmpty()) {
        break;
      }
      if (hex.length() != 2 * ChangeHash.LENGTH) {
        throw new BadRequestException(name, "change hashes of 64 hex digits, comma-separated", hex);
      }
      try {
        hashes.add(ChangeHash.fromHex(hex));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(
            name, "change hashes of 64 hex digits, comma-separated", hex, e);
      }
      if (doc.changeIndex(hashes.get(hashes.size() - 1)).isEmpty()) {
        throw new BadRequestException(name, "hashes of this document's changes", hex);
      }
    }
    return hashes;
  }
}
