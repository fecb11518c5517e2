package dev.converge.net.protocol;

/**
 * Bounds on what {@link MessageCodec#decode} accepts from a peer.
 *
 * @param frameBytesMax the longest frame decoded; a longer one is refused before parsing
 * @param nestingDepthMax the deepest CBOR nesting accepted (messages need 3 or 4)
 * @param stringBytesMax the longest text or byte string accepted inside a frame
 */
public record CodecLimits(int frameBytesMax, int nestingDepthMax, int stringBytesMax) {
  /** 64 MiB frames (a whole document may travel in one sync message), nesting 16. */
  public static final CodecLimits DEFAULT = new CodecLimits(64 << 20, 16, 64 << 20);

  public CodecLimits {
    if (frameBytesMax < 1) {
      throw new IllegalArgumentException("frameBytesMax must be positive, was " + frameBytesMax);
    }
    if (nestingDepthMax < 4) {
      throw new IllegalArgumentException(
          "nestingDepthMax must be at least 4, was " + nestingDepthMax);
    }
    if (stringBytesMax < 1) {
      throw new IllegalArgumentException("stringBytesMax must be positive, was " + stringBytesMax);
    }
  }

  public CodecLimits withFrameBytesMax(int value) {
    return new CodecLimits(value, nestingDepthMax, Math.min(stringBytesMax, value));
  }
}
