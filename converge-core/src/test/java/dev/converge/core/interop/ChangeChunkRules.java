package dev.converge.core.interop;

import static dev.converge.core.interop.LoadRuleFixtures.ACTION;
import static dev.converge.core.interop.LoadRuleFixtures.INSERT;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_STRING;
import static dev.converge.core.interop.LoadRuleFixtures.OBJ_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.OBJ_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.PRED_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.PRED_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.PRED_GROUP;
import static dev.converge.core.interop.LoadRuleFixtures.VALUE;
import static dev.converge.core.interop.LoadRuleFixtures.VALUE_META;
import static dev.converge.core.interop.LoadRuleFixtures.column;
import static dev.converge.core.interop.LoadRuleFixtures.rawColumn;

import dev.converge.core.interop.LoadRuleFixtures.Js;
import java.util.Collections;

/**
 * Load rules of change chunks: the fields before the columns, the column layout, and how each op
 * column decodes (JavaScript reads change columns leniently: any LEB128 form, any run shape, extra
 * rows ignored, a missing row an error). Bases: {@code map} changes 1 to 4 are ops 1..3 (put a,
 * make text b, insert "x" at its head), 4..5 (put a, delete b), 6..11 (a counter, nested maps and a
 * list) and 12 (increment of the counter).
 */
final class ChangeChunkRules {
  private ChangeChunkRules() {}

  static void add(LoadRuleFixtures f) {
    header(f);
    layout(f);
    opColumns(f);
    values(f);
  }

  private static void header(LoadRuleFixtures f) {
    f.change(
        "change-start-op-zero",
        "a change's startOp must not be 0",
        Js.REJECTS,
        "map",
        0,
        c -> c.startOp = 0);
    f.change(
        "change-start-op-past-u32",
        "startOp must fit 32 bits",
        Js.REJECTS,
        "map",
        3,
        c -> c.startOp = 1L << 32);
    f.change(
        "change-ops-past-u32",
        "startOp plus the op count must fit 32 bits",
        Js.REJECTS,
        "map",
        0,
        c -> c.startOp = 0xffff_fffeL);
    f.change(
        "change-seq-zero", "a change's seq must not be 0", Js.REJECTS, "map", 0, c -> c.seq = 0);
    f.change(
        "change-seq-gap",
        "an actor's first change must have seq 1",
        Js.REJECTS,
        "map",
        0,
        c -> c.seq = 2);
    f.change(
        "change-seq-repeated",
        "two changes of one actor must not share a seq",
        Js.REJECTS,
        "map",
        1,
        c -> c.seq = 1);
    f.change(
        "change-message-not-utf8",
        "the message must be UTF-8",
        Js.REJECTS,
        "map",
        0,
        c -> c.message = LoadRuleFixtures.bytes(0xc3, 0x28));
    f.change(
        "change-deps-unsorted",
        "deps in any order",
        Js.ACCEPTS,
        "concurrent",
        3,
        c -> Collections.reverse(c.hashes));
    f.change(
        "change-deps-duplicate",
        "a dep listed twice",
        Js.ACCEPTS,
        "map",
        1,
        c -> c.hashes.add(c.hashes.get(0).clone()));
    f.change(
        "change-dep-unknown",
        "a dep that no change has",
        Js.REJECTS,
        "map",
        3,
        c -> c.hashes.get(0)[0] ^= 1);
    f.change(
        "change-extra-bytes",
        "bytes after the op columns are kept",
        Js.ACCEPTS,
        "map",
        3,
        c -> c.tail = LoadRuleFixtures.bytes(1, 2, 3));
  }

  private static void layout(LoadRuleFixtures f) {
    f.change(
        "change-columns-out-of-order",
        "column specs must ascend",
        Js.REJECTS,
        "map",
        3,
        c -> Collections.swap(c.opColumns, 0, 1));
    f.change(
        "change-column-twice",
        "of two columns with one spec, the later is read",
        Js.ACCEPTS,
        "map",
        3,
        c -> c.opColumns.add(0, new Column(KEY_STRING, java.util.List.of("a"))));
    f.change(
        "change-column-deflated",
        "change columns must not be compressed",
        Js.REJECTS,
        "map",
        3,
        c -> column(c.opColumns, ACTION).spec |= 8);
    f.change(
        "change-column-unknown",
        "a column of unknown id is ignored",
        Js.ACCEPTS,
        "map",
        3,
        c -> c.opColumns.add(new Column((11 << 4) | Column.INTEGER, java.util.List.of(7L))));
    f.change(
        "change-raw-value-alone",
        "a raw value column needs its metadata column",
        Js.REJECTS,
        "map",
        3,
        c -> c.opColumns.remove(column(c.opColumns, VALUE_META)));
    f.change(
        "change-no-action-column",
        "without an action column a change has no ops",
        Js.ACCEPTS,
        "map",
        3,
        c -> c.opColumns.remove(column(c.opColumns, ACTION)));
    f.change(
        "change-no-insert-column",
        "each op needs an insert flag",
        Js.REJECTS,
        "map",
        3,
        c -> c.opColumns.remove(column(c.opColumns, INSERT)));
    f.change(
        "change-no-value-metadata",
        "each op needs a value",
        Js.REJECTS,
        "map",
        3,
        c -> {
          c.opColumns.remove(column(c.opColumns, VALUE));
          c.opColumns.remove(column(c.opColumns, VALUE_META));
        });
    f.change(
        "change-no-pred-group",
        "each op needs a pred count",
        Js.REJECTS,
        "map",
        3,
        c -> {
          c.opColumns.remove(column(c.opColumns, PRED_COUNTER));
          c.opColumns.remove(column(c.opColumns, PRED_ACTOR));
          c.opColumns.remove(column(c.opColumns, PRED_GROUP));
        });
  }

  private static void opColumns(LoadRuleFixtures f) {
    f.change(
        "change-action-unknown",
        "actions above 7 are refused",
        Js.REJECTS,
        "map",
        3,
        c -> column(c.opColumns, ACTION).cells().set(0, 8L));
    f.change(
        "change-action-overlong-leb",
        "column LEB128 may be overlong",
        Js.ACCEPTS,
        "map",
        3,
        c -> rawColumn(c.opColumns, ACTION, 0x7f, 0x85, 0x00));
    f.change(
        "change-action-repeat-of-one",
        "a repeat run of one is accepted",
        Js.ACCEPTS,
        "map",
        3,
        c -> rawColumn(c.opColumns, ACTION, 0x01, 0x05));
    f.change(
        "change-insert-extra-rows",
        "extra rows in an op column are ignored",
        Js.ACCEPTS,
        "map",
        3,
        c -> column(c.opColumns, INSERT).cells().add(true));
    f.change(
        "change-insert-short",
        "an op column with fewer rows than ops",
        Js.REJECTS,
        "map",
        2,
        c -> column(c.opColumns, INSERT).cells().remove(0));
    f.change(
        "change-action-null",
        "a null action is refused",
        Js.REJECTS,
        "map",
        3,
        c -> column(c.opColumns, ACTION).cells().set(0, null));
    f.change(
        "change-obj-counter-missing",
        "without an obj counter column every op is on the root",
        Js.ACCEPTS,
        "map",
        2,
        c -> c.opColumns.remove(column(c.opColumns, OBJ_COUNTER)));
    f.change(
        "change-obj-actor-null",
        "an obj counter without its actor",
        Js.REJECTS,
        "map",
        2,
        c -> column(c.opColumns, OBJ_ACTOR).cells().set(2, null));
    f.change(
        "change-obj-counter-null",
        "an obj actor without its counter",
        Js.REJECTS,
        "map",
        2,
        c -> column(c.opColumns, OBJ_COUNTER).cells().set(2, null));
    f.change(
        "change-obj-counter-zero",
        "an obj counter of 0 is the root",
        Js.ACCEPTS,
        "map",
        2,
        c -> column(c.opColumns, OBJ_COUNTER).cells().set(2, 0L));
    f.change(
        "change-obj-actor-out-of-range",
        "an obj actor index past the actors",
        Js.REJECTS,
        "map",
        2,
        c -> column(c.opColumns, OBJ_ACTOR).cells().set(2, 5L));
    f.change(
        "change-obj-counter-past-u32",
        "an obj counter past 32 bits",
        Js.REJECTS,
        "map",
        2,
        c -> column(c.opColumns, OBJ_COUNTER).cells().set(2, 1L << 32));
    f.change(
        "change-key-null",
        "an op with no key",
        Js.REJECTS,
        "map",
        3,
        c -> column(c.opColumns, KEY_STRING).cells().set(0, null));
    f.change(
        "change-key-string-and-counter",
        "a key with a property and a counter",
        Js.REJECTS,
        "map",
        0,
        c -> column(c.opColumns, KEY_COUNTER).cells().set(0, 0L));
    f.change(
        "change-key-counter-without-actor",
        "an element counter without its actor",
        Js.REJECTS,
        "map",
        2,
        c -> column(c.opColumns, KEY_COUNTER).cells().set(5, 3L));
    f.change(
        "change-key-actor-without-counter",
        "an element actor without its counter",
        Js.REJECTS,
        "list",
        1,
        c -> column(c.opColumns, KEY_COUNTER).cells().set(0, null));
    f.change(
        "change-key-actor-out-of-range",
        "an element actor index past the actors",
        Js.REJECTS,
        "list",
        1,
        c -> column(c.opColumns, KEY_ACTOR).cells().set(0, 3L));
    f.change(
        "change-key-counter-negative",
        "an element counter below 0",
        Js.REJECTS,
        "list",
        1,
        c -> column(c.opColumns, KEY_COUNTER).cells().set(0, -1L));
    f.change(
        "change-pred-null-count",
        "a null pred count",
        Js.REJECTS,
        "map",
        3,
        c -> column(c.opColumns, PRED_GROUP).cells().set(0, null));
    f.change(
        "change-pred-counter-zero",
        "a pred with counter 0",
        Js.ACCEPTS,
        "map",
        3,
        c -> column(c.opColumns, PRED_COUNTER).cells().set(0, 0L));
    f.change(
        "change-pred-actor-index-wraps",
        "actor indexes are taken modulo 2^32",
        Js.ACCEPTS,
        "map",
        3,
        c -> column(c.opColumns, PRED_ACTOR).cells().set(0, 1L << 32));
    f.change(
        "change-pred-actor-out-of-range",
        "a pred actor index past the actors",
        Js.REJECTS,
        "map",
        3,
        c -> column(c.opColumns, PRED_ACTOR).cells().set(0, 1L));
    f.change(
        "change-pred-short",
        "a pred count larger than the preds listed",
        Js.REJECTS,
        "map",
        3,
        c -> column(c.opColumns, PRED_GROUP).cells().set(0, 2L));
  }

  private static void values(LoadRuleFixtures f) {
    f.change(
        "change-increment-of-string",
        "an increment must be an int or uint",
        Js.REJECTS,
        "map",
        3,
        c -> OpTable.of(c.opColumns).orElseThrow().setValue(0, 6, OpTable.utf8("x")));
    f.change(
        "change-value-overlong-leb",
        "int values must be shortest LEB128",
        Js.REJECTS,
        "map",
        3,
        c ->
            OpTable.of(c.opColumns)
                .orElseThrow()
                .setValue(0, 4, LoadRuleFixtures.bytes(0x83, 0x00)));
    f.change(
        "change-value-float-short",
        "a float value must be 8 bytes",
        Js.REJECTS,
        "map",
        0,
        c -> OpTable.of(c.opColumns).orElseThrow().setValue(0, 5, new byte[4]));
    f.change(
        "change-value-string-not-utf8",
        "a string value must be UTF-8",
        Js.REJECTS,
        "map",
        0,
        c -> OpTable.of(c.opColumns).orElseThrow().setValue(0, 6, LoadRuleFixtures.bytes(0xff)));
    f.change(
        "change-value-unknown-type",
        "values of unknown type codes are kept",
        Js.ACCEPTS,
        "map",
        0,
        c -> OpTable.of(c.opColumns).orElseThrow().setValue(0, 12, LoadRuleFixtures.bytes(1, 2)));
    f.change(
        "change-value-raw-extra",
        "raw value bytes beyond the last value",
        Js.ACCEPTS,
        "map",
        0,
        c -> column(c.opColumns, VALUE).raw = LoadRuleFixtures.bytes(1, 0x78, 9));
    f.change(
        "change-value-raw-short",
        "a value that runs past the raw column",
        Js.REJECTS,
        "map",
        0,
        c -> column(c.opColumns, VALUE).raw = LoadRuleFixtures.bytes(1));
    f.change(
        "change-null-value-with-length",
        "a null value's length is ignored",
        Js.ACCEPTS,
        "map",
        2,
        c -> column(c.opColumns, VALUE_META).cells().set(1, 0x10L));
  }
}
