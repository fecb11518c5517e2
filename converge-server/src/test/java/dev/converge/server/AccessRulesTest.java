package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file format: what it grants, and that every malformed line names its line number. */
class AccessRulesTest {
  private static final String DOC = "2gPEzaT71LC5eGyYVyxKYCRaJd16";

  @TempDir Path dir;

  private AccessRules read(String text) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return AccessRules.read(file);
  }

  @Test
  void rules_grantNamedTokens_restrictListedDocuments_defaultDecidesTheRest() throws Exception {
    AccessRules rules =
        read(
            "token alice aaaaaaaaaaaaaaaa\ntoken bob bbbbbbbbbbbbbbbb # comment\n"
                + "doc "
                + DOC
                + " alice\n");
    assertEquals(Optional.of("alice"), rules.authenticate("aaaaaaaaaaaaaaaa"));
    assertEquals(Optional.empty(), rules.authenticate("aaaaaaaaaaaaaaab"));
    DocumentId listed = DocumentId.parse(DOC);
    DocumentId other = DocumentId.of(new byte[16]);
    assertTrue(rules.allows(Optional.of("alice"), listed));
    assertFalse(rules.allows(Optional.of("bob"), listed));
    assertTrue(rules.allows(Optional.of("bob"), other));
    assertFalse(rules.allows(Optional.empty(), other), "no token, no document");

    AccessRules strict = read("token alice aaaaaaaaaaaaaaaa\ndefault deny\n");
    assertFalse(strict.allows(Optional.of("alice"), other));
  }

  @Test
  void malformedLines_areRefusedWithTheirLineNumber() {
    String[][] cases = {
      {"token alice\n", ":1: expected 'token NAME SECRET'"},
      {"token alice short\n", ":1: the secret of alice is shorter than 16 characters"},
      {"token a aaaaaaaaaaaaaaaa\ntoken b aaaaaaaaaaaaaaaa\n", ":2: a secret is listed twice"},
      {"token a aaaaaaaaaaaaaaaa\n\ndoc nope a\n", ":3: not a document ID: nope"},
      {"token a aaaaaaaaaaaaaaaa\ndefault maybe\n", ":2: expected 'default allow'"},
      {"grant a\n", ":1: unknown rule 'grant'"},
      {"token a aaaaaaaaaaaaaaaa\ndoc " + DOC + " zed\n", "names zed, who has no token"},
      {"# nobody\n", "no token lines"},
      {"token a aaaaaaaaaaaaaaaa\nadmin\n", ":2: expected 'admin NAME...'"},
      {"token a aaaaaaaaaaaaaaaa\n\nadmin a zed\n", ":3: admin zed has no token"},
    };
    for (String[] c : cases) {
      TokenFileException e = assertThrows(TokenFileException.class, () -> read(c[0]), c[0]);
      assertTrue(String.valueOf(e.getMessage()).contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void notUtf8_isRefusedWithItsLineAndByteOffset() throws Exception {
    Path file = dir.resolve("tokens");
    byte[] start = "token alice aaaaaaaaaaaaaaaa\ntoken bob b".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(start, start.length + 16);
    bytes[start.length] = (byte) 0xff;
    java.util.Arrays.fill(bytes, start.length + 1, bytes.length, (byte) 'b');
    Files.write(file, bytes);
    TokenFileException e = assertThrows(TokenFileException.class, () -> AccessRules.read(file));
    assertEquals(
        file + ":2: not UTF-8: byte 0xff at byte offset " + start.length + " of the file",
        e.getMessage());
    assertEquals(dev.converge.core.ConvergeException.Kind.INVALID_ARGUMENT, e.kind());
  }

  @Test
  void admin_namesWhoMayOpenTheInspector_filesWithoutItStillRead() throws Exception {
    AccessRules rules =
        read("token alice aaaaaaaaaaaaaaaa\ntoken bob bbbbbbbbbbbbbbbb\nadmin alice # ops\n");
    assertTrue(rules.isAdmin("alice"));
    assertFalse(rules.isAdmin("bob"));
    assertTrue(rules.allows(Optional.of("bob"), DocumentId.of(new byte[16])), "sync unchanged");

    AccessRules before = read("token alice aaaaaaaaaaaaaaaa\n");
    assertFalse(before.isAdmin("alice"), "without an admin line nobody opens the inspector");
    assertEquals(Optional.of("alice"), before.authenticate("aaaaaaaaaaaaaaaa"));
  }
}
