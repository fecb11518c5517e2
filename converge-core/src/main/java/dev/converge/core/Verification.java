package dev.converge.core;

/**
 * How strictly {@link Document#load(byte[], LoadOptions)} checks a file's encoding. Both modes
 * check checksums, hashes, lengths and limits; they differ only in whether an encoding that
 * Automerge would never write is refused.
 */
public enum Verification {
  /**
   * Refuse non-canonical run-length and boolean column encodings too, as JavaScript Automerge does:
   * for every file that may come from someone else.
   */
  STRICT,
  /** Accept non-canonical column encodings: only for trusted local files. */
  LENIENT
}
