package dev.converge.core.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One file per load rule of JavaScript Automerge 3.5, each made from a {@link RuleBases} document
 * by one precise edit: a change chunk's field, a column cell, a column's raw bytes, a document's
 * fields. {@link LoadRulesIT} asks JavaScript what it does with each file, checks that this is what
 * the fixture says (so a fixture that no longer tests its rule is noticed), and that Converge does
 * the same.
 */
final class LoadRuleFixtures {
  /** What JavaScript does with a fixture. */
  enum Js {
    ACCEPTS,
    REJECTS
  }

  /**
   * @param name a stable file-like name
   * @param rule the rule, in one sentence
   * @param js what JavaScript Automerge 3.5 does with it
   * @param bytes the file
   * @param rebuildHeads whether the test writes into the document chunk the heads its changes give
   *     (asked of JavaScript), so that the edit reaches the checks behind the heads
   */
  @SuppressWarnings("ArrayRecordComponent") // made once per run, read only
  record Fixture(String name, String rule, Js js, byte[] bytes, boolean rebuildHeads) {
    @Override
    public String toString() {
      return name;
    }
  }

  // Op column specs (id << 4 | type).
  static final long OBJ_ACTOR = 1;
  static final long OBJ_COUNTER = 2;
  static final long KEY_ACTOR = 17;
  static final long KEY_COUNTER = 19;
  static final long KEY_STRING = 21;
  static final long ID_ACTOR = 33;
  static final long ID_COUNTER = 35;
  static final long INSERT = 52;
  static final long ACTION = 66;
  static final long VALUE_META = 86;
  static final long VALUE = 87;
  static final long PRED_GROUP = 112;
  static final long PRED_ACTOR = 113;
  static final long PRED_COUNTER = 115;
  static final long SUCC_GROUP = 128;
  static final long SUCC_ACTOR = 129;
  static final long SUCC_COUNTER = 131;
  static final long EXPAND = 148;
  static final long MARK_NAME = 165;
  // Document change column specs.
  static final long CHANGE_ACTOR = 1;
  static final long CHANGE_SEQ = 3;
  static final long CHANGE_MAX_OP = 19;
  static final long CHANGE_TIME = 35;
  static final long CHANGE_MESSAGE = 53;
  static final long DEPS_COUNT = 64;
  static final long DEPS_INDEX = 67;

  private final RuleBases bases;
  private final List<Fixture> fixtures = new ArrayList<>();

  private LoadRuleFixtures(RuleBases bases) {
    this.bases = bases;
  }

  static List<Fixture> all(RuleBases bases) {
    LoadRuleFixtures all = new LoadRuleFixtures(bases);
    ChangeChunkRules.add(all);
    ApplyRules.add(all);
    DocumentRules.add(all);
    return List.copyOf(all.fixtures);
  }

  /** A fixture made by editing change chunk {@code index} of base {@code base}'s changes. */
  void change(
      String name, String rule, Js js, String base, int index, Consumer<EditableChunk> edit) {
    byte[] bytes = ChunkFile.of(bases.changes(base)).edit(index, edit).bytes();
    fixtures.add(new Fixture(name, rule, js, bytes, false));
  }

  /** A fixture made by editing the whole-document save of base {@code base}. */
  void document(
      String name,
      String rule,
      Js js,
      String base,
      boolean rebuildHeads,
      Consumer<EditableChunk> edit) {
    byte[] bytes = ChunkFile.of(bases.document(base)).edit(0, edit).bytes();
    fixtures.add(new Fixture(name, rule, js, bytes, rebuildHeads));
  }

  /** A fixture of raw bytes. */
  void raw(String name, String rule, Js js, byte[] bytes) {
    fixtures.add(new Fixture(name, rule, js, bytes, false));
  }

  RuleBases bases() {
    return bases;
  }

  /** The column with {@code spec}; fails the fixture's construction if there is none. */
  static Column column(List<Column> columns, long spec) {
    return EditableChunk.find(columns, spec)
        .orElseThrow(() -> new IllegalStateException("no column " + spec + " in " + columns));
  }

  /** Replaces a column's bytes by {@code raw}, as they are (not re-encoded). */
  static void rawColumn(List<Column> columns, long spec, int... raw) {
    Column column = column(columns, spec);
    column.cells = null;
    column.raw = bytes(raw);
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
