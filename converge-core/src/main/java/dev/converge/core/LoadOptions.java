package dev.converge.core;

/**
 * How {@link Document#load(byte[], LoadOptions)} treats its input.
 *
 * @param verify check everything a hostile file could get wrong, including canonical column
 *     encodings as JavaScript Automerge does; off only for trusted local files
 * @param maxInflatedBytes the most that compressed columns and changes may inflate to, in total
 * @param maxOps the most ops (and changes) the file may hold
 */
public record LoadOptions(boolean verify, int maxInflatedBytes, int maxOps) {
  /** Verification on; up to 256 MiB inflated and 16 Mi ops. */
  public static final LoadOptions DEFAULT = new LoadOptions(true, 1 << 28, 1 << 24);

  public LoadOptions {
    if (maxInflatedBytes < 0 || maxOps < 0) {
      throw new IllegalArgumentException(
          "limits must not be negative: maxInflatedBytes "
              + maxInflatedBytes
              + ", maxOps "
              + maxOps);
    }
  }

  public LoadOptions withVerify(boolean verify) {
    return new LoadOptions(verify, maxInflatedBytes, maxOps);
  }

  public LoadOptions withMaxInflatedBytes(int maxInflatedBytes) {
    return new LoadOptions(verify, maxInflatedBytes, maxOps);
  }

  public LoadOptions withMaxOps(int maxOps) {
    return new LoadOptions(verify, maxInflatedBytes, maxOps);
  }
}
