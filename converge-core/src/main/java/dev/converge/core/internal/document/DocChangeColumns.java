package dev.converge.core.internal.document;

import dev.converge.core.internal.codec.ColumnSpec;
import dev.converge.core.internal.codec.ColumnType;

/** The change column specs of a document chunk (compat §2.8). */
final class DocChangeColumns {
  static final ColumnSpec ACTOR = ColumnSpec.of(0, ColumnType.ACTOR);
  static final ColumnSpec SEQ = ColumnSpec.of(0, ColumnType.DELTA);
  static final ColumnSpec MAX_OP = ColumnSpec.of(1, ColumnType.DELTA);
  static final ColumnSpec TIME = ColumnSpec.of(2, ColumnType.DELTA);
  static final ColumnSpec MESSAGE = ColumnSpec.of(3, ColumnType.STRING);
  static final ColumnSpec DEPS_GROUP = ColumnSpec.of(4, ColumnType.GROUP);
  static final ColumnSpec DEPS_INDEX = ColumnSpec.of(4, ColumnType.DELTA);
  static final ColumnSpec EXTRA_METADATA = ColumnSpec.of(5, ColumnType.VALUE_METADATA);
  static final ColumnSpec EXTRA_RAW = ColumnSpec.of(5, ColumnType.VALUE);

  private DocChangeColumns() {}
}
