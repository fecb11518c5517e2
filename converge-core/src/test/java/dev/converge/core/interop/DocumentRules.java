package dev.converge.core.interop;

import static dev.converge.core.interop.LoadRuleFixtures.ACTION;
import static dev.converge.core.interop.LoadRuleFixtures.CHANGE_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.CHANGE_MAX_OP;
import static dev.converge.core.interop.LoadRuleFixtures.CHANGE_MESSAGE;
import static dev.converge.core.interop.LoadRuleFixtures.CHANGE_SEQ;
import static dev.converge.core.interop.LoadRuleFixtures.CHANGE_TIME;
import static dev.converge.core.interop.LoadRuleFixtures.DEPS_INDEX;
import static dev.converge.core.interop.LoadRuleFixtures.ID_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.ID_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.KEY_COUNTER;
import static dev.converge.core.interop.LoadRuleFixtures.MARK_NAME;
import static dev.converge.core.interop.LoadRuleFixtures.SUCC_ACTOR;
import static dev.converge.core.interop.LoadRuleFixtures.column;
import static dev.converge.core.interop.LoadRuleFixtures.rawColumn;

import dev.converge.core.interop.LoadRuleFixtures.Js;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Load rules of document chunks: the actors and heads, the change columns, the op columns as
 * columns (canonical runs, lengths), what the ops mean (rebuilt changes, maxOp, marks) and the
 * heads index. Edits that change a change's hash are made with the heads rebuilt, so they meet the
 * checks behind the heads. Bases: the {@code map} document's ops in stored order are 1 (put a,
 * overwritten by 4), 4, 2 (text b, deleted by 5), 6 (counter c, incremented by 12), 12, 7 (map
 * nested), 3 (in b), 8 and 9 (in nested), 10 (in inner), 11 (in list); its changes end at ops 3, 5,
 * 11 and 12. The {@code text} document holds "hello_world" with mark begins 13 (bold), 17 (bold,
 * null) and 15 (link), and mark ends 18, 14 and 16.
 */
final class DocumentRules {
  private DocumentRules() {}

  static void add(LoadRuleFixtures f) {
    actorsAndHeads(f);
    changeColumns(f);
    opColumns(f);
    marks(f);
    values(f);
  }

  private static void actorsAndHeads(LoadRuleFixtures f) {
    f.document(
        "doc-heads-index-wrong",
        "the heads index is not checked",
        Js.ACCEPTS,
        "map",
        false,
        d -> d.tail = LoadRuleFixtures.bytes(0));
    f.document(
        "doc-heads-index-absent",
        "the heads index may be left out",
        Js.ACCEPTS,
        "map",
        false,
        d -> d.tail = new byte[0]);
    f.document(
        "doc-heads-index-extra-byte",
        "nothing may follow the heads index",
        Js.REJECTS,
        "map",
        false,
        d -> d.tail = LoadRuleFixtures.bytes(3, 0));
    f.document(
        "doc-head-unknown",
        "the stored heads must be the rebuilt changes' heads",
        Js.REJECTS,
        "map",
        false,
        d -> d.hashes.get(0)[31] ^= 1);
    f.document(
        "doc-heads-unsorted",
        "stored heads must be sorted",
        Js.REJECTS,
        "forked",
        false,
        d -> Collections.reverse(d.hashes));
    f.document(
        "doc-heads-duplicate",
        "a head stored twice",
        Js.REJECTS,
        "map",
        false,
        d -> {
          d.hashes.add(d.hashes.get(0).clone());
          d.tail = LoadRuleFixtures.bytes(3, 3);
        });
    f.document(
        "doc-actor-unused",
        "an actor no change or op names",
        Js.ACCEPTS,
        "map",
        false,
        d -> d.actors.add(LoadRuleFixtures.bytes(0xff, 0xff)));
    f.document(
        "doc-actors-unsorted",
        "actors out of order",
        Js.ACCEPTS,
        "forked",
        true,
        d -> {
          Collections.reverse(d.actors);
          for (Column column :
              List.of(
                  column(d.changeColumns, CHANGE_ACTOR),
                  column(d.opColumns, ID_ACTOR),
                  column(d.opColumns, LoadRuleFixtures.SUCC_ACTOR))) {
            column.cells().replaceAll(a -> a == null ? null : 1 - (Long) a);
          }
        });
    f.document(
        "doc-actor-duplicate",
        "an actor listed twice",
        Js.ACCEPTS,
        "forked",
        false,
        d -> d.actors.add(d.actors.get(1).clone()));
  }

  private static void changeColumns(LoadRuleFixtures f) {
    f.document(
        "doc-change-actor-out-of-range",
        "a change's actor index past the actors",
        Js.REJECTS,
        "map",
        false,
        d -> column(d.changeColumns, CHANGE_ACTOR).cells().set(3, 1L));
    f.document(
        "doc-dep-out-of-range",
        "a dep row past the changes",
        Js.REJECTS,
        "map",
        false,
        d -> column(d.changeColumns, DEPS_INDEX).cells().set(2, 9L));
    f.document(
        "doc-dep-later-row",
        "a dep on a later change row",
        Js.REJECTS,
        "map",
        true,
        d -> column(d.changeColumns, DEPS_INDEX).cells().set(1, 3L));
    f.document(
        "doc-max-op-below-dep",
        "a change's maxOp below its deps' maxOp",
        Js.REJECTS,
        "map",
        false,
        d -> column(d.changeColumns, CHANGE_MAX_OP).cells().set(1, 2L));
    f.document(
        "doc-max-op-too-high",
        "a change that claims ops nobody stored",
        Js.REJECTS,
        "map",
        true,
        d -> column(d.changeColumns, CHANGE_MAX_OP).cells().set(3, 13L));
    f.document(
        "doc-seq-skipped",
        "an actor's seqs must count up by one",
        Js.REJECTS,
        "map",
        true,
        d -> column(d.changeColumns, CHANGE_SEQ).cells().set(3, 5L));
    f.document(
        "doc-seq-zero",
        "a change with seq 0",
        Js.REJECTS,
        "map",
        true,
        d -> column(d.changeColumns, CHANGE_SEQ).cells().set(0, 0L));
    f.document(
        "doc-time-absent",
        "without a time column every time is 0",
        Js.ACCEPTS,
        "map",
        true,
        d -> d.changeColumns.remove(column(d.changeColumns, CHANGE_TIME)));
    f.document(
        "doc-message-absent",
        "without a message column there are no messages",
        Js.ACCEPTS,
        "map",
        true,
        d -> d.changeColumns.remove(column(d.changeColumns, CHANGE_MESSAGE)));
    f.document(
        "doc-extra-metadata-absent",
        "the extra-bytes column may not be left out",
        Js.REJECTS,
        "map",
        true,
        d -> d.changeColumns.remove(column(d.changeColumns, 86)));
    f.document(
        "doc-succ-count-absent",
        "a document's ops need a succ count column",
        Js.REJECTS,
        "map",
        false,
        d -> d.opColumns.remove(column(d.opColumns, LoadRuleFixtures.SUCC_GROUP)));
    f.document(
        "doc-value-metadata-absent",
        "a document's ops need a value metadata column",
        Js.REJECTS,
        "map",
        false,
        d -> d.opColumns.remove(column(d.opColumns, LoadRuleFixtures.VALUE_META)));
    f.document(
        "doc-change-columns-short",
        "a change column with too few rows",
        Js.REJECTS,
        "map",
        false,
        d -> column(d.changeColumns, CHANGE_SEQ).cells().remove(3));
  }

  /**
   * Adds {@code delta} to a non-null cell unlike both its neighbours (so that the runs around it
   * stay canonical); fails the fixture's construction if there is none.
   */
  private static void addToLoneRun(List<Object> cells, long delta) {
    for (int i = 0; i < cells.size(); i++) {
      Object cell = cells.get(i);
      boolean unlikePrevious = i == 0 || !Objects.equals(cells.get(i - 1), cell);
      boolean unlikeNext = i == cells.size() - 1 || !Objects.equals(cells.get(i + 1), cell);
      if (cell != null && unlikePrevious && unlikeNext) {
        cells.set(i, (Long) cell + delta);
        return;
      }
    }
    throw new IllegalStateException("no cell unlike its neighbours in " + cells);
  }

  private static void opColumns(LoadRuleFixtures f) {
    f.document(
        "doc-runs-not-canonical",
        "document columns must be in canonical form",
        Js.REJECTS,
        "map",
        false,
        d -> rawColumn(d.opColumns, ID_ACTOR, 0x0a, 0x00, 0x01, 0x00));
    f.document(
        "doc-column-short",
        "an op column with too few rows",
        Js.REJECTS,
        "map",
        false,
        d -> column(d.opColumns, ACTION).cells().remove(10));
    f.document(
        "doc-id-counter-past-u32",
        "op counters must fit 32 bits",
        Js.REJECTS,
        "map",
        true,
        d -> column(d.opColumns, ID_COUNTER).cells().set(10, 1L << 32));
    f.document(
        "doc-id-actor-index-wraps",
        "document actor indexes are taken modulo 2^32",
        Js.ACCEPTS,
        "concurrent",
        false,
        d -> addToLoneRun(column(d.opColumns, ID_ACTOR).cells(), 1L << 32));
    f.document(
        "doc-actor-index-wraps-before-run-check",
        "2^32 beside 0 is a run of equal values left unmerged",
        Js.REJECTS,
        "map",
        false,
        d -> column(d.opColumns, SUCC_ACTOR).cells().set(0, 1L << 32));
    f.document(
        "doc-succ-actor-index-past-actors",
        "a successor of an unlisted actor hides its op and makes no delete",
        Js.ACCEPTS,
        "map",
        true,
        d -> column(d.opColumns, SUCC_ACTOR).cells().set(0, (long) d.actors.size()));
    f.document(
        "doc-key-actor-index-past-actors",
        "a key actor index past the actors, after wrapping",
        Js.REJECTS,
        "list",
        false,
        d -> {
          List<Object> cells = column(d.opColumns, KEY_ACTOR).cells();
          int last = cells.size() - 1;
          while (cells.get(last) == null) {
            last--;
          }
          cells.set(last, (1L << 32) + 5);
        });
    f.document(
        "doc-unknown-column",
        "a column of unknown id is ignored",
        Js.ACCEPTS,
        "map",
        false,
        d ->
            d.opColumns.add(
                new Column(
                    (11 << 4) | Column.INTEGER, java.util.Collections.nCopies(11, (Object) 7L))));
    f.document(
        "doc-op-not-in-any-change",
        "an op that no change's range holds stays in the document",
        Js.ACCEPTS,
        "map",
        true,
        d -> {
          OpTable table = OpTable.of(d.opColumns).orElseThrow();
          table.copy(4, 5);
          column(d.opColumns, ID_COUNTER).cells().set(5, 40L);
        });
    f.document(
        "doc-op-id-twice",
        "two ops with one id",
        Js.REJECTS,
        "map",
        true,
        d -> OpTable.of(d.opColumns).orElseThrow().copy(9, 10));
  }

  private static void marks(LoadRuleFixtures f) {
    f.document(
        "doc-mark-end-before-begin",
        "a mark's end must come after its begin in the stored ops",
        Js.REJECTS,
        "text",
        true,
        d -> {
          // Swap the link mark's begin (15, after 7) and end (16, after 12): the end now comes
          // first, after 7, and the begin last, after 12.
          OpTable table = OpTable.of(d.opColumns).orElseThrow();
          table.move(18, 12);
          column(d.opColumns, KEY_COUNTER).cells().set(12, 7L);
          column(d.opColumns, KEY_COUNTER).cells().set(13, 12L);
          table.move(13, 19);
        });
    f.document(
        "doc-mark-end-without-begin",
        "a mark end whose begin is no mark",
        Js.REJECTS,
        "text",
        true,
        d -> {
          column(d.opColumns, ACTION).cells().set(12, 1L);
          column(d.opColumns, MARK_NAME).cells().set(12, null);
          OpTable.of(d.opColumns).orElseThrow().setValue(12, 6, OpTable.utf8("!"));
        });
    f.document(
        "doc-mark-begin-without-end",
        "a mark begin without its end",
        Js.ACCEPTS,
        "text",
        true,
        d -> {
          OpTable table = OpTable.of(d.opColumns).orElseThrow();
          column(d.opColumns, ACTION).cells().set(18, 1L);
          table.setValue(18, 6, OpTable.utf8("!"));
        });
  }

  private static void values(LoadRuleFixtures f) {
    f.document(
        "doc-value-null-with-length",
        "a null value whose metadata gives it a raw byte",
        Js.ACCEPTS,
        "text",
        true,
        d -> OpTable.of(d.opColumns).orElseThrow().setValue(5, 0, LoadRuleFixtures.bytes(7)));
    f.document(
        "doc-value-raw-extra",
        "raw value bytes beyond the last value",
        Js.ACCEPTS,
        "map",
        false,
        d -> {
          Column raw = column(d.opColumns, LoadRuleFixtures.VALUE);
          raw.raw = java.util.Arrays.copyOf(raw.raw, raw.raw.length + 1);
        });
    f.document(
        "doc-value-overlong-int",
        "an int value in overlong LEB128",
        Js.REJECTS,
        "map",
        true,
        d ->
            OpTable.of(d.opColumns)
                .orElseThrow()
                .setValue(0, 4, LoadRuleFixtures.bytes(0x81, 0x00)));
    f.document(
        "doc-action-overlong-leb",
        "run headers and values may be overlong LEB128",
        Js.ACCEPTS,
        "forked",
        false,
        d -> rawColumn(d.opColumns, ACTION, 0x83, 0x00, 0x81, 0x00));
    f.document(
        "doc-extra-bytes-of-another-type",
        "extra bytes whose metadata says string",
        Js.ACCEPTS,
        "map",
        true,
        d -> {
          column(d.changeColumns, 86).cells().set(3, (2L << 4) | 6);
          d.changeColumns.add(
              d.changeColumns.indexOf(column(d.changeColumns, 86)) + 1,
              new Column(87, LoadRuleFixtures.bytes('o', 'k')));
        });
  }
}
