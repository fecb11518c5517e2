package dev.converge.core.internal.change;

import dev.converge.core.internal.codec.ColumnSpec;
import dev.converge.core.internal.codec.ColumnType;

/**
 * The op column specs shared by change and document chunks (compat §2.7, §2.8). Documents add
 * {@link #ID_ACTOR}, {@link #ID_COUNTER} and the successor columns; changes use the pred columns.
 */
public final class OpColumns {
  public static final int OBJ = 0;
  public static final int KEY = 1;
  public static final int ID = 2;
  public static final int INSERT = 3;
  public static final int ACTION = 4;
  public static final int VALUE = 5;
  public static final int PRED = 7;
  public static final int SUCC = 8;
  public static final int EXPAND = 9;
  public static final int MARK_NAME = 10;

  public static final ColumnSpec OBJ_ACTOR = ColumnSpec.of(OBJ, ColumnType.ACTOR);
  public static final ColumnSpec OBJ_COUNTER = ColumnSpec.of(OBJ, ColumnType.INTEGER);
  public static final ColumnSpec KEY_ACTOR = ColumnSpec.of(KEY, ColumnType.ACTOR);
  public static final ColumnSpec KEY_COUNTER = ColumnSpec.of(KEY, ColumnType.DELTA);
  public static final ColumnSpec KEY_STRING = ColumnSpec.of(KEY, ColumnType.STRING);
  public static final ColumnSpec ID_ACTOR = ColumnSpec.of(ID, ColumnType.ACTOR);
  public static final ColumnSpec ID_COUNTER = ColumnSpec.of(ID, ColumnType.DELTA);
  public static final ColumnSpec INSERT_FLAG = ColumnSpec.of(INSERT, ColumnType.BOOLEAN);
  public static final ColumnSpec ACTION_CODE = ColumnSpec.of(ACTION, ColumnType.INTEGER);
  public static final ColumnSpec VALUE_METADATA = ColumnSpec.of(VALUE, ColumnType.VALUE_METADATA);
  public static final ColumnSpec VALUE_RAW = ColumnSpec.of(VALUE, ColumnType.VALUE);
  public static final ColumnSpec PRED_GROUP = ColumnSpec.of(PRED, ColumnType.GROUP);
  public static final ColumnSpec PRED_ACTOR = ColumnSpec.of(PRED, ColumnType.ACTOR);
  public static final ColumnSpec PRED_COUNTER = ColumnSpec.of(PRED, ColumnType.DELTA);
  public static final ColumnSpec SUCC_GROUP = ColumnSpec.of(SUCC, ColumnType.GROUP);
  public static final ColumnSpec SUCC_ACTOR = ColumnSpec.of(SUCC, ColumnType.ACTOR);
  public static final ColumnSpec SUCC_COUNTER = ColumnSpec.of(SUCC, ColumnType.DELTA);
  public static final ColumnSpec EXPAND_FLAG = ColumnSpec.of(EXPAND, ColumnType.BOOLEAN);
  public static final ColumnSpec MARK_NAME_STRING = ColumnSpec.of(MARK_NAME, ColumnType.STRING);

  /** JS Automerge refuses op counters past u32 ("counter too large"). */
  public static final long COUNTER_MAX = 0xffff_ffffL;

  private OpColumns() {}
}
