package dev.converge.core.internal.change;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
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
  private static final int MAX_COLUMNS = 14;

  private final ByteWriter columns = new ByteWriter(256);
  private final ByteWriter body = new ByteWriter(256);
  private final RleEncoder integers = new RleEncoder(false);
  private final DeltaEncoder deltas = new DeltaEncoder();
  private final StringRleEncoder strings = new StringRleEncoder();
  private final BooleanEncoder booleans = new BooleanEncoder();
  private final ValueEncoder values = new ValueEncoder();
  private final ColumnSpec[] specs = new ColumnSpec[MAX_COLUMNS];
  private final int[] lengths = new int[MAX_COLUMNS];
  private final byte[] hash = new byte[ChangeHash.LENGTH];
  private final MessageDigest sha256;
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
    writeAfterDeps(actor, seq, startOp, time, message, ops, extraBytes);
    return frameChange(actor, seq, startOp, time, message, sortedDeps, ops, extraBytes);
  }

  /**
   * The part of the change's chunk body after its deps. It does not depend on other changes'
   * hashes, so the bodies of many changes can be written at once, on several threads; {@link
   * #encodeWithDeps} then finishes each change in dependency order.
   */
  byte[] encodeAfterDeps(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      List<ChangeOp> ops,
      byte[] extraBytes) {
    checkArguments(seq, startOp, ops.size());
    body.reset();
    writeAfterDeps(actor, seq, startOp, time, message, ops, extraBytes);
    return body.toByteArray();
  }

  /** Finishes a change whose body after the deps {@link #encodeAfterDeps} wrote. */
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
    ChangeHash[] sortedDeps = sortedDeps(deps);
    body.reset();
    writeDeps(sortedDeps);
    body.writeBytes(afterDeps);
    return frameChange(actor, seq, startOp, time, message, sortedDeps, ops, extraBytes);
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
      body.writeBytes(dep.toBytes());
    }
  }

  private void writeAfterDeps(
      ActorId actor,
      long seq,
      long startOp,
      long time,
      Optional<String> message,
      List<ChangeOp> ops,
      byte[] extraBytes) {
    this.author = actor;
    collectOtherActors(ops);
    writeColumns(ops);
    body.writeLengthPrefixed(actor.toBytes());
    body.writeUleb(seq);
    body.writeUleb(startOp);
    body.writeSleb(time);
    String text = message.orElse("");
    body.writeLengthPrefixed(Utf8.encode(text));
    body.writeUleb(otherCount);
    for (int i = 0; i < otherCount; i++) {
      body.writeLengthPrefixed(others[i].toBytes());
    }
    ColumnMetadata.write(body, specs, lengths, columnCount);
    body.writeBytes(columns.array(), 0, columns.size());
    body.writeBytes(extraBytes);
    Arrays.fill(others, 0, otherCount, null);
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
    if (startOp < 1 || startOp > OpColumns.MAX_COUNTER) {
      throw new IllegalArgumentException(
          "startOp must be 1.." + OpColumns.MAX_COUNTER + ": " + startOp);
    }
    if (startOp + opCount - 1 > OpColumns.MAX_COUNTER) {
      throw new IllegalArgumentException(
          "maxOp " + (startOp + opCount - 1) + " exceeds " + OpColumns.MAX_COUNTER);
    }
  }

  private void collectOtherActors(List<ChangeOp> ops) {
    otherCount = 0;
    for (int i = 0, n = ops.size(); i < n; i++) {
      ChangeOp op = ops.get(i);
      Optional<OpId> obj = op.obj().opId();
      if (obj.isPresent()) {
        noteActor(obj.get());
      }
      if (op.key() instanceof Key.Elem elem) {
        Optional<OpId> element = elem.elemId().opId();
        if (element.isPresent()) {
          noteActor(element.get());
        }
      }
      List<OpId> pred = op.pred();
      for (int p = 0, m = pred.size(); p < m; p++) {
        OpId id = pred.get(p);
        if (p > 0 && pred.get(p - 1).compareTo(id) > 0) {
          throw new IllegalArgumentException(
              "preds of op " + i + " are not ascending: " + pred.get(p - 1) + " before " + id);
        }
        noteActor(id);
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

  private void noteActor(OpId id) {
    if (id.counter() > OpColumns.MAX_COUNTER) {
      throw new IllegalArgumentException("op counter too large: " + id);
    }
    ActorId actor = id.actor();
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

  private void writeColumns(List<ChangeOp> ops) {
    columns.reset();
    columnCount = 0;
    if (ops.isEmpty()) {
      return;
    }
    int n = ops.size();
    int start = columns.size();
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      Optional<OpId> obj = ops.get(i).obj().opId();
      if (obj.isPresent()) {
        integers.append(actorIndex(obj.get().actor()));
      } else {
        integers.appendNull();
      }
    }
    integers.finish();
    start = endColumn(OpColumns.OBJ_ACTOR, start);
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      ObjId obj = ops.get(i).obj();
      if (obj.isRoot()) {
        integers.appendNull();
      } else {
        integers.append(obj.opId().orElseThrow().counter());
      }
    }
    integers.finish();
    start = endColumn(OpColumns.OBJ_COUNTER, start);
    start = writeKeyColumns(ops, start);

    booleans.begin(columns);
    for (int i = 0; i < n; i++) {
      booleans.append(ops.get(i).insert());
    }
    booleans.finish();
    start = endColumn(OpColumns.INSERT_FLAG, start);

    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      integers.append(ops.get(i).action().code());
    }
    integers.finish();
    start = endColumn(OpColumns.ACTION_CODE, start);

    values.begin(columns);
    for (int i = 0; i < n; i++) {
      ChangeOp op = ops.get(i);
      checkValue(op, i);
      values.append(op.value());
    }
    values.finish();
    start = endColumn(OpColumns.VALUE_METADATA, start);
    columns.writeBytes(values.raw().array(), 0, values.raw().size());
    start = endColumn(OpColumns.VALUE_RAW, start);

    start = writePredColumns(ops, start);

    booleans.begin(columns);
    for (int i = 0; i < n; i++) {
      booleans.append(ops.get(i).expand());
    }
    booleans.finish();
    if (!booleans.anyTrue()) {
      columns.truncate(start);
    }
    start = endColumn(OpColumns.EXPAND_FLAG, start);

    strings.begin(columns);
    for (int i = 0; i < n; i++) {
      Optional<String> name = ops.get(i).markName();
      if (name.isPresent()) {
        strings.append(name.get());
      } else {
        strings.appendNull();
      }
    }
    strings.finish();
    endColumn(OpColumns.MARK_NAME_STRING, start);
  }

  private int writeKeyColumns(List<ChangeOp> ops, int columnStart) {
    int n = ops.size();
    int start = columnStart;
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      Optional<OpId> element = elementOf(ops.get(i).key());
      if (element.isPresent()) {
        integers.append(actorIndex(element.get().actor()));
      } else {
        integers.appendNull();
      }
    }
    integers.finish();
    start = endColumn(OpColumns.KEY_ACTOR, start);
    deltas.begin(columns);
    for (int i = 0; i < n; i++) {
      Key key = ops.get(i).key();
      if (key instanceof Key.Elem elem) {
        Optional<OpId> element = elem.elemId().opId();
        deltas.append(element.isPresent() ? element.get().counter() : 0);
      } else {
        deltas.appendNull();
      }
    }
    deltas.finish();
    start = endColumn(OpColumns.KEY_COUNTER, start);
    strings.begin(columns);
    for (int i = 0; i < n; i++) {
      if (ops.get(i).key() instanceof Key.Prop prop) {
        strings.append(prop.name());
      } else {
        strings.appendNull();
      }
    }
    strings.finish();
    return endColumn(OpColumns.KEY_STRING, start);
  }

  private int writePredColumns(List<ChangeOp> ops, int columnStart) {
    int n = ops.size();
    int start = columnStart;
    int total = 0;
    integers.begin(columns);
    for (int i = 0; i < n; i++) {
      int count = ops.get(i).pred().size();
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
      for (OpId id : ops.get(i).pred()) {
        integers.append(actorIndex(id.actor()));
      }
    }
    integers.finish();
    start = endColumn(OpColumns.PRED_ACTOR, start);
    deltas.begin(columns);
    for (int i = 0; i < n; i++) {
      for (OpId id : ops.get(i).pred()) {
        deltas.append(id.counter());
      }
    }
    deltas.finish();
    return endColumn(OpColumns.PRED_COUNTER, start);
  }

  private static Optional<OpId> elementOf(Key key) {
    return key instanceof Key.Elem elem ? elem.elemId().opId() : Optional.empty();
  }

  private static void checkValue(ChangeOp op, int index) {
    if (op.action() == Action.INCREMENT
        && !(op.value() instanceof ScalarValue.Int || op.value() instanceof ScalarValue.Uint)) {
      throw new IllegalArgumentException(
          "op " + index + ": an increment needs an int or uint value, found " + op.value());
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
