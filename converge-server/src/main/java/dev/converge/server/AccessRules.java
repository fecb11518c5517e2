package dev.converge.server;

import dev.converge.net.server.DocumentAccess;
import dev.converge.repo.DocumentId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a token file ({@code converge serve --token-file F}): who may connect, and which
 * documents are restricted to whom. The format, one rule per line ({@code #} starts a comment):
 *
 * <pre>
 * token NAME SECRET            # a client presenting SECRET is NAME
 * doc DOCUMENT_ID NAME...      # only these names may read or write this document
 * default allow|deny           # documents without a doc line: any named client (allow, the
 *                              # default) or nobody (deny)
 * admin NAME...                # these names may also open the inspector (every document)
 * </pre>
 *
 * <p>With a token file every WebSocket upgrade must present a known secret, as {@code
 * Authorization: Bearer SECRET} or, for browsers (which cannot set headers on a WebSocket), as the
 * query parameter {@code ?token=SECRET}. Secrets are compared in constant time. The inspector at
 * {@code /} is only for the names of {@code admin} lines; a file without one closes it to everyone.
 * The {@code admin} rule came after the others: files without it mean what they meant before.
 *
 * <p>Thread-safety: immutable.
 */
final class AccessRules implements DocumentAccess {
  private static final Pattern WORDS = Pattern.compile("\\s+");

  private final Map<String, String> namesBySecret;
  private final Map<DocumentId, Set<String>> documents;
  private final boolean defaultAllow;
  private final Set<String> admins;

  /** The file's lines; a byte that is not UTF-8 is reported with its line and offset. */
  private static List<String> readLines(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TokenFileException(file, "cannot read the token file", e);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new TokenFileException(
          file,
          line,
          String.format(
              Locale.ROOT,
              "not UTF-8: byte 0x%02x at byte offset %d of the file",
              bytes[offset] & 0xff,
              offset));
    }
    return out.flip().toString().lines().toList();
  }

  private AccessRules(
      Map<String, String> namesBySecret,
      Map<DocumentId, Set<String>> documents,
      boolean defaultAllow,
      Set<String> admins) {
    this.namesBySecret = Map.copyOf(namesBySecret);
    this.documents = Map.copyOf(documents);
    this.defaultAllow = defaultAllow;
    this.admins = Set.copyOf(admins);
  }

  /**
   * Reads and checks a token file.
   *
   * @throws TokenFileException if it cannot be read, is not UTF-8, or a line is malformed (with its
   *     number)
   */
  static AccessRules read(Path file) {
    List<String> lines = readLines(file);
    Map<String, String> namesBySecret = new LinkedHashMap<>();
    Map<String, Integer> names = new HashMap<>();
    Map<DocumentId, Set<String>> documents = new LinkedHashMap<>();
    boolean defaultAllow = true;
    Map<String, Integer> admins = new LinkedHashMap<>();
    for (int index = 0; index < lines.size(); index++) {
      int number = index + 1;
      String line = lines.get(index);
      int comment = line.indexOf('#');
      String[] words =
          WORDS
              .splitAsStream((comment >= 0 ? line.substring(0, comment) : line).trim())
              .filter(word -> !word.isEmpty())
              .toArray(String[]::new);
      if (words.length == 0) {
        continue;
      }
      switch (words[0]) {
        case "token" -> {
          if (words.length != 3) {
            throw new TokenFileException(file, number, "expected 'token NAME SECRET'");
          }
          if (words[2].length() < 16) {
            throw new TokenFileException(
                file, number, "the secret of " + words[1] + " is shorter than 16 characters");
          }
          if (namesBySecret.putIfAbsent(words[2], words[1]) != null) {
            throw new TokenFileException(file, number, "a secret is listed twice");
          }
          if (names.putIfAbsent(words[1], number) != null) {
            throw new TokenFileException(
                file,
                number,
                "name " + words[1] + " already has a token on line " + names.get(words[1]));
          }
        }
        case "doc" -> {
          if (words.length < 3) {
            throw new TokenFileException(file, number, "expected 'doc DOCUMENT_ID NAME...'");
          }
          DocumentId id;
          try {
            id = DocumentId.parse(words[1]);
          } catch (RuntimeException e) {
            throw new TokenFileException(file, number, "not a document ID: " + words[1]);
          }
          Set<String> allowed = Set.of(java.util.Arrays.copyOfRange(words, 2, words.length));
          if (documents.putIfAbsent(id, allowed) != null) {
            throw new TokenFileException(file, number, "document " + words[1] + " listed twice");
          }
        }
        case "default" -> {
          if (words.length != 2 || !(words[1].equals("allow") || words[1].equals("deny"))) {
            throw new TokenFileException(
                file, number, "expected 'default allow' or 'default deny'");
          }
          defaultAllow = words[1].equals("allow");
        }
        case "admin" -> {
          if (words.length < 2) {
            throw new TokenFileException(file, number, "expected 'admin NAME...'");
          }
          for (int word = 1; word < words.length; word++) {
            admins.putIfAbsent(words[word], number);
          }
        }
        default ->
            throw new TokenFileException(
                file,
                number,
                "unknown rule '" + words[0] + "' (expected token, doc, default or admin)");
      }
    }
    for (Map.Entry<DocumentId, Set<String>> entry : documents.entrySet()) {
      for (String name : entry.getValue()) {
        if (!names.containsKey(name)) {
          throw new TokenFileException(
              file, 0, "document " + entry.getKey() + " names " + name + ", who has no token");
        }
      }
    }
    for (Map.Entry<String, Integer> admin : admins.entrySet()) {
      if (!names.containsKey(admin.getKey())) {
        throw new TokenFileException(
            file, admin.getValue(), "admin " + admin.getKey() + " has no token");
      }
    }
    if (namesBySecret.isEmpty()) {
      throw new TokenFileException(file, 0, "no token lines: nobody could connect");
    }
    return new AccessRules(namesBySecret, documents, defaultAllow, admins.keySet());
  }

  /** The name a secret authenticates, compared in constant time against every secret. */
  Optional<String> authenticate(String secret) {
    byte[] given = secret.getBytes(StandardCharsets.UTF_8);
    String found = null;
    for (Map.Entry<String, String> entry : namesBySecret.entrySet()) {
      if (MessageDigest.isEqual(given, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
        found = entry.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  /** Whether {@code name} may open the inspector (an {@code admin} line names it). */
  boolean isAdmin(String name) {
    return admins.contains(name);
  }

  @Override
  public boolean allows(Optional<String> principal, DocumentId documentId) {
    if (principal.isEmpty()) {
      return false;
    }
    Set<String> allowed = documents.get(documentId);
    return allowed == null ? defaultAllow : allowed.contains(principal.get());
  }
}
