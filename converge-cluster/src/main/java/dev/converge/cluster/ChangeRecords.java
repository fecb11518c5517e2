package dev.converge.cluster;

import dev.converge.core.Change;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The value of a record of the changes topic: the changes' Automerge change chunks, one after the
 * other, as a document file's incremental tail holds them. Automerge reads it as is ({@code
 * loadIncremental}); every chunk carries its checksum, and a change's hash names its bytes, so a
 * damaged or forged record is refused by the engine, not half applied.
 */
final class ChangeRecords {
  private ChangeRecords() {}

  static byte[] encode(List<Change> changes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Change change : changes) {
      change.writeTo(out);
    }
    return out.toByteArray();
  }
}
