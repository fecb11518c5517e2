package dev.converge.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.internal.change.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of {@code shared/automerge-fixtures} is accepted or rejected by {@link
 * Document#load(byte[])} as JS Automerge 3.5.0's {@code A.load} does, per {@code
 * expected-js-3.5.0.json}.
 *
 * <p>How: an accepted file must load with the recorded heads (so every change hash matches), number
 * of changes, number of actors and root keys, and its uncompressed re-save must load back to the
 * same heads. A rejected file must throw a {@link ConvergeException} subtype (never another
 * exception) whose message is one non-blank line, as {@code converge} prints it.
 */
class AutomergeFixturesTest {
  static final int ROOT_KEYS_LISTED = 8;

  /** The big benchmark documents are only loaded: a save and second load would add seconds. */
  static final int RESAVE_BYTES_MAX = 64 * 1024;

  static Stream<String> fixtures() {
    if (Vectors.shared().isEmpty()) {
      return Stream.of();
    }
    return expectations().keySet().stream().sorted();
  }

  static Map<String, Object> expectations() {
    String json = new String(Vectors.fixture("expected-js-3.5.0.json"), StandardCharsets.UTF_8);
    return Json.object(Json.object(Json.parse(json)).get("files"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void load_fixture_acceptedOrRejectedAsJavaScript(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    Map<String, Object> expected = Json.object(expectations().get(name));
    byte[] bytes = Vectors.fixture(name);
    if (Boolean.TRUE.equals(expected.get("accepted"))) {
      Document doc = Document.load(bytes);
      List<Object> heads = Json.array(expected.get("heads")).stream().sorted().toList();
      assertEquals(heads, Documents.heads(doc), name + ": heads");
      List<Change> changes = doc.changes();
      assertEquals(
          ((Number) Objects.requireNonNull(expected.get("numChanges"))).intValue(),
          changes.size(),
          name + ": changes");
      assertEquals(
          ((Number) Objects.requireNonNull(expected.get("numActors"))).intValue(),
          changes.stream().map(Change::actor).collect(Collectors.toSet()).size(),
          name + ": actors");
      // expected-js-3.5.0.json lists the first ROOT_KEYS_LISTED root keys in JS string order.
      List<Object> rootKeys = Json.array(expected.get("rootKeys"));
      List<String> ours = doc.keys(ObjId.ROOT).stream().sorted().toList();
      assertEquals(
          rootKeys,
          rootKeys.size() < ROOT_KEYS_LISTED ? ours : ours.subList(0, ROOT_KEYS_LISTED),
          name + ": root keys");
      if (bytes.length <= RESAVE_BYTES_MAX) {
        assertEquals(
            heads, Documents.heads(Document.load(doc.saveNoCompress())), name + ": re-save");
      }
    } else {
      ConvergeException e =
          assertThrows(
              ConvergeException.class,
              () -> Document.load(bytes),
              name + " must be rejected (JS: " + expected.get("error") + ")");
      String message = e.getMessage();
      assertTrue(message != null && !message.isBlank(), name + ": empty message");
      assertFalse(
          message == null || message.contains("\n") || message.contains("\r"),
          name + ": " + message);
    }
  }
}
