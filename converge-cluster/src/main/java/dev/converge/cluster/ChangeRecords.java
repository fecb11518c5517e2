package dev.converge.cluster;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.core.LoadOptions;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The value of a record of the changes topic: the changes' Automerge change chunks, one after the
 * other, as a document file's incremental tail holds them. Automerge reads it as is ({@code
 * loadIncremental}); every chunk carries its checksum, and a change's hash names its bytes, so a
 * damaged or forged record is refused by the engine, not half applied.
 */
final class ChangeRecords {
  /** The actor of the scratch documents that check records; it never commits. */
  private static final ActorId CHECKER = ActorId.fromHex("00");

  private ChangeRecords() {}

  static byte[] encode(List<Change> changes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Change change : changes) {
      change.writeTo(out);
    }
    return out.toByteArray();
  }

  /**
   * The record of a client's change entries, checked as every node will read it: the entries are
   * loaded into an empty scratch document with {@link LoadOptions#DEFAULT}, which decodes every
   * chunk (checksums, hashes, columns, limits) and applies the changes that need no other.
   *
   * @throws dev.converge.core.CorruptDataException if an entry is malformed
   * @throws dev.converge.core.LimitExceededException if they break the default load limits
   */
  static byte[] checked(List<byte[]> entries) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] entry : entries) {
      joined.writeBytes(entry);
    }
    byte[] record = joined.toByteArray();
    var unused = Document.create(CHECKER).loadIncremental(record, LoadOptions.DEFAULT);
    return record;
  }
}
