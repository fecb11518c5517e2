package dev.converge.core.internal.change;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.codec.BooleanEncoder;
import dev.converge.core.internal.codec.ByteWriter;
import dev.converge.core.internal.codec.ColumnMetadata;
import dev.converge.core.internal.codec.ColumnSpec;
import dev.converge.core.internal.codec.DeltaEncoder;
import dev.converge.core.internal.codec.RleEncoder;
import dev.converge.core.internal.codec.StringRleEncoder;
import dev.converge.core.internal.codec.Utf8;
import dev.converge.core.internal.codec.ValueEncoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes a change as a canonical type-1 chunk, the way Automerge's {@code build_change_inner} does:
 * deps sorted, other actors sorted after the author, every column in canonical RLE, and columns
 * that would hold only nulls (or only false, for expand) left out.
 *
 * <p>This is the engine's hot path (one call per local commit), so each thread keeps one instance
 * with its buffers, column encoders and SHA-256 digest, and a one-op change allocates little more
 * than its chunk and hash. Not thread-safe; {@link ChangeChunks} hands out one per thread.
 */
final class ChangeEncoder {
  private static final int COLUMNS_MAX = 14;

  private final ByteWriter columns = new ByteWriter(256);
  private final ByteWriter body = new ByteWriter(256);
  private final RleEncoder integers = new RleEncoder(false);
  private final DeltaEncoder deltas = new DeltaEncoder();
  private final StringRleEncoder strings = new StringRleEncoder();
  private final BooleanEncoder booleans = new BooleanEncoder();
  private final ValueEncoder values = new ValueEncoder();
  private final ColumnSpec[] specs = new ColumnSpec[COLUMNS_MAX];
  private final int[] lengths = new int[COLUMNS_MAX];
  private final byte[] hash = new byte[ChangeHash.LENGTH];
  private final byte[] depScratch = new byte[ChangeHash.LENGTH];
  private final MessageDigest sha256;
  private final ChangeOpList opList = new ChangeOpList();
  private int columnCount;
  private ActorId author = ActorId.of(new byte[0]);
  private ActorId[] others = new ActorId[8];
  private int otherCount;

  ChangeEncoder() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  Change encode(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      List<ChangeHash> deps,
      List<ChangeOp> ops,
      byte[] extraBytes) {
    checkArguments(seq, startOp, ops.size());
    ChangeHash[] sortedDeps = sortedDeps(deps);
    body.reset();
    writeDeps(sortedDeps);
    writeAfterDeps(actor, seq, startOp, time, message, opList.of(ops), extraBytes);
    return frameChange(actor, seq, startOp, time, message, sortedDeps, ops, extraBytes);
  }

  /**
   * The part of the change's chunk body after its deps. It does not depend on other changes'
   * hashes, so the bodies of many changes can be written at once, on several threads; {@link
   * #encodeWithDeps} then finishes each change in dependency order.
   */
  void writeAfterDeps(
      ByteWriter out,
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      EncodableOps ops,
      byte[] extraBytes) {
    checkArguments(seq, startOp, ops.size());
    body.reset();
    writeAfterDeps(actor, seq, startOp, time, message, ops, extraBytes);
    out.writeBytes(body.array(), 0, body.size());
  }

  /** Finishes a change whose body after the deps {@link #writeAfterDeps} wrote. */
  Change encodeWithDeps(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      List<ChangeHash> deps,
      List<ChangeOp> ops,
      byte[] extraBytes,
      byte[] afterDeps) {
    // In the order given: a rebuilt change lists its deps as the document stored them.
    ChangeHash[] inOrder = deps.toArray(new ChangeHash[0]);
    body.reset();
    writeDeps(inOrder);
    body.writeBytes(afterDeps);
    return frameChange(actor, seq, startOp, time, message, inOrder, ops, extraBytes);
  }

  private static ChangeHash[] sortedDeps(List<ChangeHash> deps) {
    ChangeHash[] sorted = deps.toArray(new ChangeHash[0]);
    if (sorted.length > 1) {
      Arrays.sort(sorted);
    }
    return sorted;
  }

  private void writeDeps(ChangeHash[] sortedDeps) {
    body.writeUleb(sortedDeps.length);
    for (ChangeHash dep : sortedDeps) {
      dep.copyTo(depScratch, 0);
      body.writeBytes(depScratch);
    }
  }

  private void writeAfterDeps(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      EncodableOps ops,
      byte[] extraBytes) {
    this.author = actor;
    collectOtherActors(ops);
    writeColumns(ops);
    writeActor(actor);
    body.writeUleb(seq);
    body.writeUleb(startOp);
    body.writeSleb(time);
    if (message.isPresent()) {
      body.writeLengthPrefixed(Utf8.encode(message.get()));
    } else {
      body.writeUleb(0);
    }
    body.writeUleb(otherCount);
    for (int i = 0; i < otherCount; i++) {
      writeActor(others[i]);
    }
    ColumnMetadata.write(body, specs, lengths, columnCount);
    body.writeBytes(columns.array(), 0, columns.size());
    body.writeBytes(extraBytes);
    Arrays.fill(others, 0, otherCount, null);
  }

  /** The actor's bytes, length first, without copying them out of the actor. */
  private void writeActor(ActorId actor) {
    int length = actor.length();
    body.writeUleb(length);
    for (int i = 0; i < length; i++) {
      body.writeByte(actor.byteAt(i));
    }
  }

  private Change frameChange(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      ChangeHash[] sortedDeps,
      List<ChangeOp> ops,
      byte[] extraBytes) {
    byte[] chunk = frame(body, ChunkType.CHANGE);
    return new Change(
        actor,
        seq,
        startOp,
        time,
        message,
        Arrays.asList(sortedDeps),
        ops,
        extraBytes,
        ChangeHash.of(hash),
        chunk);
  }

  /** Frames {@code body} as a chunk of {@code type} and leaves its hash in {@link #hash}. */
  private byte[] frame(ByteWriter chunkBody, ChunkType type) {
    int length = chunkBody.size();
    int headerLength = Chunk.HASHED_FROM + 1 + ByteWriter.ulebSize(length);
    byte[] chunk = new byte[headerLength + length];
    System.arraycopy(Chunk.MAGIC, 0, chunk, 0, Chunk.MAGIC_LENGTH);
    chunk[Chunk.HASHED_FROM] = (byte) type.code();
    int position = Chunk.HASHED_FROM + 1;
    long rest = length;
    while (rest >= 0x80) {
      chunk[position++] = (byte) (rest | 0x80);
      rest >>>= 7;
    }
    chunk[position] = (byte) rest;
    System.arraycopy(chunkBody.array(), 0, chunk, headerLength, length);
    // digest() leaves the digest reset for the next change.
    sha256.update(chunk, Chunk.HASHED_FROM, chunk.length - Chunk.HASHED_FROM);
    try {
      sha256.digest(hash, 0, hash.length);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 digest into a 32-byte buffer", e);
    }
    System.arraycopy(hash, 0, chunk, Chunk.MAGIC_LENGTH, Chunk.CHECKSUM_LENGTH);
    return chunk;
  }

  private static void checkArguments(long seq, long startOp, int opCount) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative, found " + seq);
    }
    if (startOp < 1 || startOp > OpColumns.COUNTER_MAX) {
      throw new IllegalArgumentException(
          "startOp must be 1.." + OpColumns.COUNTER_MAX + ": " + startOp);
    }
    if (startOp + opCount - 1 > OpColumns.COUNTER_MAX) {
      throw new IllegalArgumentException(
          "maxOp " + (startOp + opCount - 1) + " exceeds " + OpColumns.COUNTER_MAX);
    }
  }

  private void collectOtherActors(EncodableOps ops) {
    otherCount = 0;
    for (int i = 0, n = ops.size(); i < n; i++) {
      ActorId objActor = ops.objActor(i);
      if (objActor != null) {
        noteActor(objActor, ops.objCounter(i));
      }
      ActorId keyActor = ops.keyActor(i);
      if (keyActor != null) {
        noteActor(keyActor, ops.keyCounter(i));
      }
      for (int p = 0, m = ops.predCount(i); p < m; p++) {
        ActorId actor = ops.predActor(i, p);
        long counter = ops.predCounter(i, p);
        if (p > 0) {
          long before = ops.predCounter(i, p - 1);
          if (before > counter
              || (before == counter && ops.predActor(i, p - 1).compareTo(actor) > 0)) {
            throw new IllegalArgumentException(
                "preds of op "
                    + i
                    + " are not ascending: "
                    + new OpId(before, ops.predActor(i, p - 1))
                    + " before "
                    + new OpId(counter, actor));
          }
        }
        noteActor(actor, counter);
      }
    }
    if (otherCount > 1) {
      Arrays.sort(others, 0, otherCount);
      int unique = 1;
      for (int i = 1; i < otherCount; i++) {
        if (!others[i].equals(others[unique - 1])) {
          others[unique++] = others[i];
        }
      }
      Arrays.fill(others, unique, otherCount, null);
      otherCount = unique;
    }
  }

  private void noteActor(ActorId actor, long counter) {
    if (counter > OpColumns.COUNTER_MAX) {
      throw new IllegalArgumentException("op counter too large: " + new OpId(counter, actor));
    }
    if (actor.equals(author)) {
      return;
    }
    // Skip the common repeat cheaply; the sort removes the remaining duplicates.
    if (otherCount > 0 && others[otherCount - 1].equals(actor)) {
      return;
    }
    if (otherCount == others.length) {
      others = Arrays.copyOf(others, otherCount * 2);
    }
    others[otherCount++] = actor;
  }

  private int actorIndex(ActorId actor) {
    if (actor.equals(author)) {
      return 0;
    }
    int found = Arrays.binarySearch(others, 0, otherCount, actor);
    if (found < 0) {
      throw new AssertionError("actor " + actor + " was not collected");
    }
    return found + 1;
  }

  private void writeColumns(EncodableOps ops) {
    columns.reset();
    columnCount = 0;
    int n = ops.size();
    if (n == 0) {
      return;
    }
    int start = columns.size();
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      ActorId actor = ops.objActor(i);
      if (actor != null) {
        integers.append(actorIndex(actor));
      } else {
        integers.appendNull();
      }
    }
    integers.finish();
    start = endColumn(OpColumns.OBJ_ACTOR, start);
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      if (ops.objActor(i) == null) {
        integers.appendNull();
      } else {
        integers.append(ops.objCounter(i));
      }
    }
    integers.finish();
    start = endColumn(OpColumns.OBJ_COUNTER, start);
    start = writeKeyColumns(ops, start);

    booleans.begin(columns);
    for (int i = 0; i < n; i++) {
      booleans.append(ops.insert(i));
    }
    booleans.finish();
    start = endColumn(OpColumns.INSERT_FLAG, start);

    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      integers.append(ops.action(i).code());
    }
    integers.finish();
    start = endColumn(OpColumns.ACTION_CODE, start);

    values.begin(columns);
    for (int i = 0; i < n; i++) {
      ScalarValue value = ops.value(i);
      checkValue(ops.action(i), value, i);
      values.append(value);
    }
    values.finish();
    start = endColumn(OpColumns.VALUE_METADATA, start);
    columns.writeBytes(values.raw().array(), 0, values.raw().size());
    start = endColumn(OpColumns.VALUE_RAW, start);

    start = writePredColumns(ops, start);

    booleans.begin(columns);
    for (int i = 0; i < n; i++) {
      booleans.append(ops.expand(i));
    }
    booleans.finish();
    if (!booleans.anyTrue()) {
      columns.truncate(start);
    }
    start = endColumn(OpColumns.EXPAND_FLAG, start);

    strings.begin(columns);
    for (int i = 0; i < n; i++) {
      String name = ops.markName(i);
      if (name != null) {
        strings.append(name);
      } else {
        strings.appendNull();
      }
    }
    strings.finish();
    endColumn(OpColumns.MARK_NAME_STRING, start);
  }

  private int writeKeyColumns(EncodableOps ops, int columnStart) {
    int n = ops.size();
    int start = columnStart;
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      ActorId actor = ops.keyActor(i);
      if (actor != null) {
        integers.append(actorIndex(actor));
      } else {
        integers.appendNull();
      }
    }
    integers.finish();
    start = endColumn(OpColumns.KEY_ACTOR, start);
    deltas.begin(columns);
    for (int i = 0; i < n; i++) {
      if (ops.keyProp(i) == null) {
        deltas.append(ops.keyActor(i) != null ? ops.keyCounter(i) : 0);
      } else {
        deltas.appendNull();
      }
    }
    deltas.finish();
    start = endColumn(OpColumns.KEY_COUNTER, start);
    strings.begin(columns);
    for (int i = 0; i < n; i++) {
      String prop = ops.keyProp(i);
      if (prop != null) {
        strings.append(prop);
      } else {
        strings.appendNull();
      }
    }
    strings.finish();
    return endColumn(OpColumns.KEY_STRING, start);
  }

  private int writePredColumns(EncodableOps ops, int columnStart) {
    int n = ops.size();
    int start = columnStart;
    int total = 0;
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      int count = ops.predCount(i);
      integers.append(count);
      total += count;
    }
    integers.finish();
    start = endColumn(OpColumns.PRED_GROUP, start);
    if (total == 0) {
      return start;
    }
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      for (int p = 0, m = ops.predCount(i); p < m; p++) {
        integers.append(actorIndex(ops.predActor(i, p)));
      }
    }
    integers.finish();
    start = endColumn(OpColumns.PRED_ACTOR, start);
    deltas.begin(columns);
    for (int i = 0; i < n; i++) {
      for (int p = 0, m = ops.predCount(i); p < m; p++) {
        deltas.append(ops.predCounter(i, p));
      }
    }
    deltas.finish();
    return endColumn(OpColumns.PRED_COUNTER, start);
  }

  private static void checkValue(Action action, ScalarValue value, int index) {
    if (action == Action.INCREMENT
        && !(value instanceof ScalarValue.Int || value instanceof ScalarValue.Uint)) {
      throw new IllegalArgumentException(
          "op " + index + ": an increment needs an int or uint value, found " + value);
    }
  }

  /** Records the column that ends at the current size, if it has any bytes. */
  private int endColumn(ColumnSpec spec, int start) {
    int length = columns.size() - start;
    if (length > 0) {
      specs[columnCount] = spec;
      lengths[columnCount] = length;
      columnCount++;
    }
    return columns.size();
  }
}
