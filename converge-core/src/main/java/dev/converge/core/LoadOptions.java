package dev.converge.core;

import java.util.Objects;

/**
 * How {@link Document#load(byte[], LoadOptions)} treats its input, and how the loaded document
 * counts text.
 *
 * @param verify check everything a hostile file could get wrong, including canonical column
 *     encodings as JavaScript Automerge does; off only for trusted local files
 * @param maxInflatedBytes the most that compressed columns and changes may inflate to, in total
 * @param maxOps the most ops (and changes) the file may hold
 * @param textUnit how the loaded document counts positions and lengths in text (see {@link
 *     DocumentOptions#textUnit()})
 */
public record LoadOptions(boolean verify, int maxInflatedBytes, int maxOps, TextUnit textUnit) {
  /** Verification on; up to 256 MiB inflated and 16 Mi ops; text counted in UTF-16 code units. */
  public static final LoadOptions DEFAULT = new LoadOptions(true, 1 << 28, 1 << 24, TextUnit.UTF16);

  public LoadOptions {
    if (maxInflatedBytes < 0 || maxOps < 0) {
      throw new IllegalArgumentException(
          "limits must not be negative: maxInflatedBytes "
              + maxInflatedBytes
              + ", maxOps "
              + maxOps);
    }
    Objects.requireNonNull(textUnit, "textUnit");
  }

  /** Options with text counted in UTF-16 code units. */
  public LoadOptions(boolean verify, int maxInflatedBytes, int maxOps) {
    this(verify, maxInflatedBytes, maxOps, TextUnit.UTF16);
  }

  public LoadOptions withVerify(boolean verify) {
    return new LoadOptions(verify, maxInflatedBytes, maxOps, textUnit);
  }

  public LoadOptions withMaxInflatedBytes(int maxInflatedBytes) {
    return new LoadOptions(verify, maxInflatedBytes, maxOps, textUnit);
  }

  public LoadOptions withMaxOps(int maxOps) {
    return new LoadOptions(verify, maxInflatedBytes, maxOps, textUnit);
  }

  public LoadOptions withTextUnit(TextUnit textUnit) {
    return new LoadOptions(verify, maxInflatedBytes, maxOps, textUnit);
  }

  /** The options of the loaded document. */
  public DocumentOptions documentOptions() {
    return new DocumentOptions(textUnit);
  }
}
