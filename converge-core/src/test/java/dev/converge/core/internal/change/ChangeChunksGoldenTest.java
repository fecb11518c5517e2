package dev.converge.core.internal.change;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests against change chunks written by JS Automerge 3.5.0.
 *
 * <p>How: each vector's {@code .changes} file is its changes' type-1 chunks end to end; the {@code
 * .json} beside it lists, in the same order, each change's hash, actor, seq, startOp, time,
 * message, deps and op count. Every chunk must decode to those fields, its computed hash must be
 * the listed one, and encoding the decoded fields again must give the original bytes. The copies in
 * the test resources always run; the whole shared set runs when {@code shared/} is found (see
 * {@link Vectors}).
 */
class ChangeChunksGoldenTest {

  static Stream<String> sharedVectors() {
    return Vectors.vectorNames().stream();
  }

  @Test
  void resourceVectors_decodeAndReencodeIdentically() {
    for (String name : List.of("vec-001", "vec-003", "vec-014")) {
      check(
          name,
          Vectors.resource("vectors/" + name + ".changes"),
          Vectors.resource("vectors/" + name + ".json"));
    }
  }

  @ParameterizedTest
  @MethodSource("sharedVectors")
  void sharedVector_decodesAndReencodesIdentically(String name) {
    check(name, Vectors.vectorFile(name + ".changes"), Vectors.vectorFile(name + ".json"));
  }

  @Test
  void sharedVectors_arePresent() {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found beside the repository");
    assertEquals(20, Vectors.vectorNames().size());
  }

  static void check(String name, byte[] changes, byte[] json) {
    Map<String, Object> expected =
        Json.object(Json.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8)));
    List<Object> expectedChanges = Json.array(expected.get("changes"));
    List<Chunk> chunks = Chunks.split(changes);
    assertEquals(expectedChanges.size(), chunks.size(), name + ": chunk count");
    for (int i = 0; i < chunks.size(); i++) {
      Map<String, Object> want = Json.object(expectedChanges.get(i));
      String where = name + " change " + i;
      Change change = ChangeChunks.decode(chunks.get(i).copyBytes());
      assertEquals(want.get("hash"), change.hash().toHex(), where + " hash");
      assertEquals(want.get("actor"), change.actor().toHex(), where + " actor");
      assertEquals(want.get("seq"), change.seq(), where + " seq");
      assertEquals(want.get("startOp"), change.startOp(), where + " startOp");
      assertEquals(want.get("time"), change.time(), where + " time");
      assertEquals(Optional.ofNullable(want.get("message")), change.message(), where + " message");
      assertEquals(
          Json.array(want.get("deps")).stream().map(h -> ChangeHash.fromHex((String) h)).toList(),
          change.deps(),
          where + " deps");
      assertEquals(
          ((Long) Objects.requireNonNull(want.get("ops"))).intValue(),
          change.ops().size(),
          where + " op count");
      assertArrayEquals(chunks.get(i).copyBytes(), change.toBytes(), where + " bytes kept");

      Change again =
          ChangeChunks.encode(
              change.actor(),
              change.seq(),
              change.startOp(),
              change.time(),
              change.message(),
              change.deps(),
              change.ops(),
              change.extraBytes());
      assertArrayEquals(change.toBytes(), again.toBytes(), where + " re-encoded bytes");
      assertEquals(change.hash(), again.hash(), where + " re-encoded hash");
    }
  }
}
