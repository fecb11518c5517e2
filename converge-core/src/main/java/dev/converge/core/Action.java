package dev.converge.core;

/** The action of an op, with Automerge's action codes. */
public enum Action {
  MAKE_MAP(0),
  SET(1),
  MAKE_LIST(2),
  DELETE(3),
  MAKE_TEXT(4),
  INCREMENT(5),
  MAKE_TABLE(6),
  /** A mark anchor: a begin when the op has a mark name, an end otherwise. */
  MARK(7);

  private static final Action[] BY_CODE = values();

  private final int code;

  Action(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** True for the actions that create an object. */
  public boolean makesObject() {
    return this == MAKE_MAP || this == MAKE_LIST || this == MAKE_TEXT || this == MAKE_TABLE;
  }

  /** The object type this action creates, or throws for other actions. */
  public ObjType objType() {
    switch (this) {
      case MAKE_MAP:
        return ObjType.MAP;
      case MAKE_LIST:
        return ObjType.LIST;
      case MAKE_TEXT:
        return ObjType.TEXT;
      case MAKE_TABLE:
        return ObjType.TABLE;
      default:
        throw new IllegalStateException(this + " does not make an object");
    }
  }

  /**
   * The action with {@code code}.
   *
   * @throws IllegalArgumentException for a code outside 0..7
   */
  public static Action fromCode(long code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("unknown action code " + code);
    }
    return BY_CODE[(int) code];
  }
}
