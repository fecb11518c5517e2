package dev.converge.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ActorId;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The histories of {@code proofs/Examples.v}, run on the Java transcription of the model: Coq
 * computes each expected result there, so these tests check that the transcription computes what
 * the Coq definitions compute. Actor {@code n} of the Coq examples is the one-byte actor {@code n}.
 */
class OpSetModelTest {
  private static final ObjId LIST = ObjId.of(id(1, 0));
  private static final OpSetModel.Op MAKE_LIST =
      op(id(1, 0), ObjId.ROOT, Key.prop("list"), false, new OpSetModel.Make(ObjType.LIST));

  @Test
  void headInserts_newestFirst() {
    List<OpSetModel.Op> ops =
        List.of(
            MAKE_LIST,
            op(id(10, 0), LIST, head(), true, put(1)),
            op(id(12, 0), LIST, head(), true, put(2)));
    assertEquals(List.of(id(12, 0), id(10, 0)), OpSetModel.elements(run(ops), LIST));
  }

  @Test
  void concurrentInsertsWithOneCounter_greaterActorFirstInEitherOrder() {
    OpSetModel.Op first = op(id(2, 0), LIST, head(), true, put(0));
    OpSetModel.Op byOne = op(id(3, 1), LIST, elem(id(2, 0)), true, put(1));
    OpSetModel.Op byTwo = op(id(3, 2), LIST, elem(id(2, 0)), true, put(2));
    List<OpId> expected = List.of(id(2, 0), id(3, 2), id(3, 1));
    assertEquals(expected, OpSetModel.elements(run(List.of(MAKE_LIST, first, byOne, byTwo)), LIST));
    assertEquals(expected, OpSetModel.elements(run(List.of(MAKE_LIST, first, byTwo, byOne)), LIST));
  }

  @Test
  void laterInsert_goesRightAfterItsReference() {
    List<OpSetModel.Op> ops =
        List.of(
            MAKE_LIST,
            op(id(2, 0), LIST, head(), true, put(0)),
            op(id(3, 0), LIST, elem(id(2, 0)), true, put(1)),
            op(id(4, 0), LIST, elem(id(2, 0)), true, put(2)));
    assertEquals(List.of(id(2, 0), id(4, 0), id(3, 0)), OpSetModel.elements(run(ops), LIST));
  }

  @Test
  void concurrentPuts_bothKeptGreaterLast() {
    assertEquals(List.of(id(2, 1), id(2, 2)), winners(run(conflict()), "k"));
  }

  @Test
  void deleteNamingBothValues_removesTheKey() {
    List<OpSetModel.Op> ops = new ArrayList<>(conflict());
    ops.add(
        new OpSetModel.Op(
            id(3, 0),
            ObjId.ROOT,
            Key.prop("k"),
            false,
            new OpSetModel.Del(),
            List.of(id(2, 1), id(2, 2))));
    assertEquals(List.of(), winners(run(ops), "k"));
  }

  @Test
  void deleteConcurrentWithPut_keepsThePut() {
    List<OpSetModel.Op> ops =
        List.of(
            op(id(1, 0), ObjId.ROOT, Key.prop("k"), false, put(1)),
            new OpSetModel.Op(
                id(2, 1),
                ObjId.ROOT,
                Key.prop("k"),
                false,
                new OpSetModel.Del(),
                List.of(id(1, 0))),
            new OpSetModel.Op(
                id(2, 2), ObjId.ROOT, Key.prop("k"), false, put(2), List.of(id(1, 0))));
    assertEquals(List.of(id(2, 2)), winners(run(ops), "k"));
  }

  @Test
  void counter_addsConcurrentIncrements() {
    List<OpSetModel.Op> ops =
        List.of(
            op(
                id(1, 0),
                ObjId.ROOT,
                Key.prop("c"),
                false,
                new OpSetModel.Put(new ScalarValue.Counter(10))),
            new OpSetModel.Op(
                id(2, 1),
                ObjId.ROOT,
                Key.prop("c"),
                false,
                new OpSetModel.Inc(5),
                List.of(id(1, 0))),
            new OpSetModel.Op(
                id(2, 2),
                ObjId.ROOT,
                Key.prop("c"),
                false,
                new OpSetModel.Inc(-2),
                List.of(id(1, 0))));
    List<OpSetModel.Entry> values = OpSetModel.valuesAt(run(ops), ObjId.ROOT, Key.prop("c"));
    assertEquals(1, values.size());
    assertEquals(Optional.of(13L), OpSetModel.counterTotal(values.get(0)));
  }

  @Test
  void opOnUnknownObject_isRejected() {
    OpSetModel.Op op = op(id(1, 0), ObjId.of(id(9, 9)), Key.prop("k"), false, put(1));
    assertEquals(Optional.empty(), OpSetModel.applyAll(List.of(), List.of(op)));
  }

  /**
   * Every definition of {@code proofs/Model.v} and the op ID order of {@code proofs/OpId.v} has a
   * method or type in {@link OpSetModel} that names it, except those the engine's types or the JDK
   * stand for (listed here with what stands for them).
   */
  @Test
  void everyCoqDefinition_isTranscribed() throws IOException {
    Map<String, String> standIns =
        Map.ofEntries(
            Map.entry("opid", "OpId"),
            Map.entry("id_eqb", "OpId.equals"),
            Map.entry("objid", "ObjId"),
            Map.entry("objid_eqb", "ObjId.equals"),
            Map.entry("key", "Key"),
            Map.entry("key_eqb", "Key.equals"),
            Map.entry("objtype", "ObjType"),
            Map.entry("scalar", "ScalarValue"),
            Map.entry("state", "List<Entry>"),
            Map.entry("obind", "Optional.flatMap"),
            Map.entry("mem", "List.contains"));
    Path root = repositoryRoot();
    String java =
        Files.readString(
            root.resolve("converge-core/src/test/java/dev/converge/core/model/OpSetModel.java"));
    Pattern definition =
        Pattern.compile("^(?:Definition|Fixpoint|Record|Inductive) (\\w+)", Pattern.MULTILINE);
    List<String> missing = new ArrayList<>();
    int definitions = 0;
    for (String file : List.of("proofs/OpId.v", "proofs/Model.v")) {
      Matcher matcher = definition.matcher(Files.readString(root.resolve(file)));
      while (matcher.find()) {
        definitions++;
        String name = matcher.group(1);
        if (!standIns.containsKey(name) && !java.contains("Coq: {@code " + name + "}")) {
          missing.add(name);
        }
      }
    }
    assertEquals(List.of(), missing, "Coq definitions with no transcription in OpSetModel");
    assertTrue(definitions > 40, "found only " + definitions + " Coq definitions");
  }

  @Test
  void insertAfterUnknownElement_isRejected() {
    List<OpSetModel.Entry> state = run(List.of(MAKE_LIST));
    OpSetModel.Op op = op(id(2, 0), LIST, elem(id(7, 0)), true, put(1));
    assertEquals(Optional.empty(), OpSetModel.applyOp(state, op));
  }

  @Test
  void mapInsideListElement_holdsItsKey() {
    ObjId map = ObjId.of(id(2, 0));
    List<OpSetModel.Op> ops =
        List.of(
            MAKE_LIST,
            op(id(2, 0), LIST, head(), true, new OpSetModel.Make(ObjType.MAP)),
            op(id(3, 0), map, Key.prop("x"), false, put(5)));
    List<OpSetModel.Entry> state = run(ops);
    assertEquals(
        List.of(id(3, 0)),
        OpSetModel.valuesAt(state, map, Key.prop("x")).stream().map(OpSetModel.Entry::id).toList());
  }

  @Test
  void duplicateDelivery_changesNothing() {
    List<OpSetModel.Op> twice = new ArrayList<>(conflict());
    twice.addAll(conflict());
    assertEquals(
        OpSetModel.deliverAll(OpSetModel.Replica.EMPTY, conflict()),
        OpSetModel.deliverAll(OpSetModel.Replica.EMPTY, twice));
  }

  private static Path repositoryRoot() {
    try {
      Path classes =
          Path.of(OpSetModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // converge-core/target/test-classes
      return classes.resolve("../../..").normalize();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<OpSetModel.Op> conflict() {
    return List.of(
        op(id(1, 0), ObjId.ROOT, Key.prop("k"), false, put(1)),
        new OpSetModel.Op(id(2, 2), ObjId.ROOT, Key.prop("k"), false, put(3), List.of(id(1, 0))),
        new OpSetModel.Op(id(2, 1), ObjId.ROOT, Key.prop("k"), false, put(2), List.of(id(1, 0))));
  }

  private static List<OpSetModel.Entry> run(List<OpSetModel.Op> ops) {
    return OpSetModel.deliverAll(OpSetModel.Replica.EMPTY, ops).orElseThrow().ops();
  }

  private static List<OpId> winners(List<OpSetModel.Entry> state, String key) {
    return OpSetModel.valuesAt(state, ObjId.ROOT, Key.prop(key)).stream()
        .map(OpSetModel.Entry::id)
        .toList();
  }

  private static OpId id(long counter, int actor) {
    return new OpId(counter, ActorId.fromHex(String.format("%02x", actor)));
  }

  private static Key head() {
    return Key.elem(ElemId.HEAD);
  }

  private static Key elem(OpId id) {
    return Key.elem(ElemId.of(id));
  }

  private static OpSetModel.Put put(int n) {
    return new OpSetModel.Put(ScalarValue.integer(n));
  }

  private static OpSetModel.Op op(
      OpId id, ObjId obj, Key key, boolean insert, OpSetModel.Action action) {
    return new OpSetModel.Op(id, obj, key, insert, action, List.of());
  }
}
