package dev.converge.core.internal.codec;

/** The low three bits of a column spec: how the column's bytes are encoded (compat §2.5). */
public enum ColumnType {
  /** RLE of uLEB counts: how many entries each row owns in the grouped columns of the same id. */
  GROUP(0),
  /** RLE of uLEB actor indexes. */
  ACTOR(1),
  /** RLE of uLEB integers. */
  INTEGER(2),
  /** RLE of sLEB differences from the previous value. */
  DELTA(3),
  /** Alternating uLEB run lengths, starting with false. */
  BOOLEAN(4),
  /** RLE of uLEB-length-prefixed UTF-8 strings. */
  STRING(5),
  /** RLE of uLEB value metadata words: type code in the low four bits, byte length above. */
  VALUE_METADATA(6),
  /** Raw value bytes, sliced by the value metadata column of the same id. */
  VALUE(7);

  private static final ColumnType[] BY_CODE = new ColumnType[8];

  static {
    for (ColumnType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  ColumnType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static ColumnType fromCode(int code) {
    return BY_CODE[code];
  }
}
