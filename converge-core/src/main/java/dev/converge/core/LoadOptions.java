package dev.converge.core;

import java.util.Objects;

/**
 * How {@link Document#load(byte[], LoadOptions)} treats its input, and how the loaded document
 * counts text.
 *
 * @param verification whether non-canonical column encodings are refused, as JavaScript Automerge
 *     does ({@link Verification#STRICT}), or accepted, for trusted local files only
 * @param inflatedBytesMax the most that compressed columns and changes may inflate to, in total
 * @param opsMax the most ops (and changes) the file may hold
 * @param textUnit how the loaded document counts positions and lengths in text (see {@link
 *     DocumentOptions#textUnit()})
 */
public record LoadOptions(
    Verification verification, int inflatedBytesMax, int opsMax, TextUnit textUnit) {
  /** Strict verification; up to 256 MiB inflated and 16 Mi ops; text counted in UTF-16 units. */
  public static final LoadOptions DEFAULT =
      new LoadOptions(Verification.STRICT, 1 << 28, 1 << 24, TextUnit.UTF16);

  public LoadOptions {
    if (inflatedBytesMax < 0 || opsMax < 0) {
      throw new IllegalArgumentException(
          "limits must not be negative: inflatedBytesMax "
              + inflatedBytesMax
              + ", opsMax "
              + opsMax);
    }
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(textUnit, "textUnit");
  }

  /** Options with text counted in UTF-16 code units. */
  public LoadOptions(Verification verification, int inflatedBytesMax, int opsMax) {
    this(verification, inflatedBytesMax, opsMax, TextUnit.UTF16);
  }

  public LoadOptions withVerification(Verification verification) {
    return new LoadOptions(verification, inflatedBytesMax, opsMax, textUnit);
  }

  public LoadOptions withInflatedBytesMax(int inflatedBytesMax) {
    return new LoadOptions(verification, inflatedBytesMax, opsMax, textUnit);
  }

  public LoadOptions withOpsMax(int opsMax) {
    return new LoadOptions(verification, inflatedBytesMax, opsMax, textUnit);
  }

  public LoadOptions withTextUnit(TextUnit textUnit) {
    return new LoadOptions(verification, inflatedBytesMax, opsMax, textUnit);
  }

  /** The options of the loaded document. */
  public DocumentOptions documentOptions() {
    return new DocumentOptions(textUnit);
  }
}
