package dev.converge.core.interop;

import static dev.converge.core.interop.LoadRuleFixtures.ACTION;
import static dev.converge.core.interop.LoadRuleFixtures.INSERT;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_STRING;
import static dev.converge.core.interop.LoadRuleFixtures.OBJ_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.OBJ_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.PRED_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.column;

import dev.converge.core.interop.LoadRuleFixtures.Js;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Load rules of applying changes: what the ops of well-formed change chunks may name (objects,
 * elements, keys, preds, actors) and how changes of one actor must follow each other. Bases: {@code
 * list} change 2 is ops 8..11 (delete element 3, make a text over element 2, insert "A" at that
 * text's head, insert 0 at the list's head); {@code map} as in {@link ChangeChunkRules}.
 */
final class ApplyRules {
  private ApplyRules() {}

  static void add(LoadRuleFixtures f) {
    objectsAndKeys(f);
    actorsAndSeqs(f);
  }

  private static void objectsAndKeys(LoadRuleFixtures f) {
    f.change(
        "apply-object-unknown",
        "an op on an object nobody made",
        Js.REJECTS,
        "list",
        1,
        c -> column(c.opColumns, OBJ_COUNTER).cells().set(3, 99L));
    f.change(
        "apply-insert-after-unknown-element",
        "an insert after an element nobody made",
        Js.REJECTS,
        "list",
        1,
        c -> {
          column(c.opColumns, KEY_ACTOR).cells().set(3, 0L);
          column(c.opColumns, KEY_COUNTER).cells().set(3, 99L);
        });
    f.change(
        "apply-update-unknown-element",
        "a delete of an element nobody made",
        Js.REJECTS,
        "list",
        1,
        c -> column(c.opColumns, KEY_COUNTER).cells().set(0, 99L));
    f.change(
        "apply-update-head",
        "a put aimed at a sequence's head",
        Js.REJECTS,
        "list",
        1,
        c -> {
          column(c.opColumns, KEY_ACTOR).cells().set(1, null);
          column(c.opColumns, KEY_COUNTER).cells().set(1, 0L);
        });
    f.change(
        "apply-insert-delete",
        "an insert whose action is delete",
        Js.ACCEPTS,
        "list",
        1,
        c -> column(c.opColumns, ACTION).cells().set(3, 3L));
    f.change(
        "apply-insert-on-map",
        "an op on a map with the insert flag is a put",
        Js.ACCEPTS,
        "map",
        0,
        c -> column(c.opColumns, INSERT).cells().set(0, true));
    f.change(
        "apply-property-on-list",
        "a property key on a list",
        Js.REJECTS,
        "list",
        1,
        c -> {
          column(c.opColumns, KEY_ACTOR).cells().set(1, null);
          column(c.opColumns, KEY_COUNTER).cells().set(1, null);
          c.opColumns.add(
              c.opColumns.indexOf(column(c.opColumns, KEY_COUNTER)) + 1,
              new Column(KEY_STRING, java.util.Arrays.asList(null, "k", null, null)));
        });
    f.change(
        "apply-element-on-map",
        "an element key on a map is kept and hides nothing",
        Js.ACCEPTS,
        "map",
        3,
        c -> {
          column(c.opColumns, KEY_STRING).cells().set(0, null);
          c.opColumns.add(0, new Column(KEY_COUNTER, List.of(6L)));
          c.opColumns.add(0, new Column(KEY_ACTOR, List.of(0L)));
        });
    f.change(
        "apply-element-counter-zero",
        "an element of counter 0 is the head, whatever its actor",
        Js.ACCEPTS,
        "concurrent",
        2,
        c -> {
          column(c.opColumns, KEY_ACTOR).cells().set(3, 1L);
          column(c.opColumns, KEY_COUNTER).cells().set(3, 0L);
        });
    f.change(
        "apply-pred-unknown",
        "a pred that names no op is ignored",
        Js.ACCEPTS,
        "map",
        3,
        c -> column(c.opColumns, PRED_COUNTER).cells().set(0, 50L));
    f.change(
        "apply-increment-of-int",
        "an increment of a plain int",
        Js.ACCEPTS,
        "map",
        3,
        c -> {
          column(c.opColumns, KEY_STRING).cells().set(0, "a");
          column(c.opColumns, PRED_COUNTER).cells().set(0, 4L);
        });
    f.change(
        "apply-obj-not-an-object",
        "an op on an op that is not an object",
        Js.REJECTS,
        "map",
        3,
        c -> {
          c.opColumns.add(0, new Column(OBJ_COUNTER, List.of(4L)));
          c.opColumns.add(0, new Column(OBJ_ACTOR, List.of(0L)));
        });
  }

  private static void actorsAndSeqs(LoadRuleFixtures f) {
    f.change(
        "apply-other-actor-unknown",
        "a change's other actors must be authors of changes applied before or with it",
        Js.REJECTS,
        "map",
        3,
        c -> c.actors.add(LoadRuleFixtures.bytes(0xcc, 0xcc)));
    byte[] map = f.bases().changes("map");
    ChunkFile chunks = ChunkFile.of(map);
    f.raw(
        "apply-author-empty",
        "an author of zero bytes",
        Js.ACCEPTS,
        ChunkFile.of(chunks.chunks.get(0)).edit(0, c -> c.actors.set(0, new byte[0])).bytes());
    List<byte[]> reversed = new ArrayList<>(chunks.chunks);
    Collections.reverse(reversed);
    f.raw(
        "apply-changes-reversed",
        "changes before their deps wait for them",
        Js.ACCEPTS,
        join(reversed));
    f.raw(
        "apply-change-twice",
        "a change given twice is applied once",
        Js.ACCEPTS,
        join(List.of(map, chunks.chunks.get(1))));
    f.raw(
        "apply-dep-missing",
        "a file of changes whose deps are missing",
        Js.REJECTS,
        join(chunks.chunks.subList(1, chunks.chunks.size())));
    byte[] otherThird = ChunkFile.of(chunks.chunks.get(3)).edit(0, c -> c.time = 1).bytes();
    f.raw(
        "apply-seq-taken",
        "two changes of one actor with one seq",
        Js.REJECTS,
        join(List.of(map, otherThird)));
    f.change(
        "apply-seq-skipped",
        "an actor's seqs must count up by one",
        Js.REJECTS,
        "map",
        3,
        c -> c.seq = 5);
  }

  private static byte[] join(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
