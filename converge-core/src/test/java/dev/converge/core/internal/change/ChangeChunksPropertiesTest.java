package dev.converge.core.internal.change;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property: any list of ops, with every action, key kind, value type and pred shape, encodes to a
 * change chunk that decodes to the same fields, and re-encoding the decoded change gives the same
 * bytes.
 *
 * <p>How: jqwik draws ops over a pool of four actors (one the author) and small counters so that
 * runs, literals and repeated actors all occur; strings include non-ASCII text. jqwik prints the
 * seed of a failure; rerun with {@code @Property(seed = "...")} to replay it.
 */
class ChangeChunksPropertiesTest {
  private static final List<ActorId> ACTORS =
      List.of(
          ActorId.fromHex("01"),
          ActorId.fromHex("7f7f"),
          ActorId.fromHex("aabbccddeeff00112233445566778899"),
          ActorId.fromHex("ff"));

  @Property(tries = 1000)
  void encodeThenDecode_givesEqualFields(
      @ForAll("ops") List<ChangeOp> ops,
      @ForAll("deps") List<ChangeHash> deps,
      @ForAll("messages") Optional<String> message) {
    ActorId author = ACTORS.get(2);
    Change change = ChangeChunks.encode(author, 3, 100, -12345L, message, deps, ops, new byte[0]);
    Change back = ChangeChunks.decode(change.toBytes());
    assertEquals(change.hash(), back.hash());
    assertEquals(author, back.actor());
    assertEquals(3, back.seq());
    assertEquals(100, back.startOp());
    assertEquals(-12345L, back.time());
    assertEquals(message.filter(m -> !m.isEmpty()), back.message());
    assertEquals(List.copyOf(new TreeSet<>(deps)), back.deps());
    assertEquals(ops, back.ops());
    Change again =
        ChangeChunks.encode(
            back.actor(),
            back.seq(),
            back.startOp(),
            back.time(),
            back.message(),
            back.deps(),
            back.ops(),
            back.extraBytes());
    assertArrayEquals(change.toBytes(), again.toBytes());
  }

  @Provide
  Arbitrary<List<ChangeOp>> ops() {
    return op().list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<ChangeHash>> deps() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(32)
        .map(ChangeHash::of)
        .set()
        .ofMaxSize(4)
        .map(List::copyOf);
  }

  @Provide
  Arbitrary<Optional<String>> messages() {
    return Arbitraries.oneOf(Arbitraries.just(Optional.empty()), text().map(Optional::of));
  }

  private static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "a", "b", "key", "ünïcødé", "日本", "😀x"),
        Arbitraries.strings().withCharRange('a', 'e').ofMaxLength(6));
  }

  private static Arbitrary<OpId> opId() {
    return Combinators.combine(
            Arbitraries.longs()
                .between(1, 6)
                .injectDuplicates(0.3)
                .edgeCases(c -> c.add(0xffff_ffffL)),
            Arbitraries.of(ACTORS))
        .as(OpId::new);
  }

  private static Arbitrary<ScalarValue> value() {
    return Arbitraries.oneOf(
        Arbitraries.of(ScalarValue.NULL, ScalarValue.TRUE, ScalarValue.FALSE),
        Arbitraries.longs().map(ScalarValue.Uint::new),
        Arbitraries.longs().map(ScalarValue.Int::new),
        Arbitraries.doubles().map(ScalarValue.F64::new),
        text().map(ScalarValue::str),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(5).map(ScalarValue.Bytes::of),
        Arbitraries.longs().map(ScalarValue.Counter::new),
        Arbitraries.longs().map(ScalarValue.Timestamp::new),
        Combinators.combine(
                Arbitraries.integers().between(10, 15),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(4))
            .as(ScalarValue.Unknown::of));
  }

  private static Arbitrary<Key> key() {
    return Arbitraries.oneOf(
        text().map(Key::prop),
        Arbitraries.just(Key.elem(ElemId.HEAD)),
        opId().map(id -> Key.elem(ElemId.of(id))));
  }

  private static Arbitrary<ChangeOp> op() {
    Arbitrary<ObjId> obj = Arbitraries.oneOf(Arbitraries.just(ObjId.ROOT), opId().map(ObjId::of));
    Arbitrary<List<OpId>> pred =
        opId().set().ofMaxSize(3).map(set -> List.copyOf(new TreeSet<>(set)));
    Arbitrary<Optional<String>> markName =
        Arbitraries.oneOf(Arbitraries.just(Optional.empty()), text().map(Optional::of));
    return Combinators.combine(
            obj,
            key(),
            Arbitraries.of(true, false),
            Arbitraries.of(Action.class),
            value(),
            pred,
            Arbitraries.of(true, false),
            markName)
        .as(
            (o, k, insert, action, v, p, expand, name) ->
                new ChangeOp(
                    o,
                    k,
                    insert,
                    action,
                    action == Action.INCREMENT ? ScalarValue.integer(v.hashCode()) : v,
                    p,
                    expand,
                    name));
  }
}
