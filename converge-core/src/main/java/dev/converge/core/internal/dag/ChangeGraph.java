package dev.converge.core.internal.dag;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.change.ChangeChunks;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The applied changes of a document, in the order they entered it (a topological order), with their
 * dependency edges, the current heads, and each actor's chain of changes.
 *
 * <p>The graph answers the causal questions: which changes a set of heads has seen (its closure),
 * which changes are new since some heads, and the highest op counter per actor that a set of heads
 * covers (the clock used for time travel). Changes are only ever appended; the last append can be
 * taken back while a batch is still being verified.
 *
 * <p>Storage is columnar, because a document holds one entry per keystroke: hashes in one byte
 * array, per-change metadata in packed columns ({@link PackedLongs}: one or two bytes a value for
 * the nearly constant or sequential columns of a document), and of each change chunk only the part
 * after its deps and actor (both are stored once already), as its difference from the one before
 * ({@link TailStore}, in {@link ChangeTails}). {@link #get} rebuilds the exact chunk from those
 * parts and decodes it, verifying its hash again. The changes loaded from a document chunk keep no
 * tail at first: their {@link StoredBodies} rebuilds them all the first time one is asked for.
 *
 * <p>Not thread-safe.
 */
public final class ChangeGraph {
  private static final byte[] NO_BYTES = new byte[0];
  private final byte[] hashScratch = new byte[ChangeHash.LENGTH];
  private ScratchStream chunkScratch = new ScratchStream();
  // A scratch buffer grown past this by one large change is dropped rather than kept for good.
  private static final int SCRATCH_KEEP_BYTES = 1 << 16;

  /** A reusable byte stream whose buffer is read in place. */
  private static final class ScratchStream extends ByteArrayOutputStream {
    byte[] buffer() {
      return buf;
    }
  }

  private int size;
  private final PagedBytes hashes = new PagedBytes();
  private final HashIndex index = new HashIndex();
  private final PackedLongs actorOf = new PackedLongs();
  private final PackedLongs maxOpOf = new PackedLongs();
  // Saving reads every change's time: parsing chunk tails for it cost more than a packed column.
  private final PackedLongs timeOf = new PackedLongs();
  // Most changes have one dependency: the first is a column of distances back (index - dep, 0 for
  // none); any further ones are in the arena, change i's at [moreStart(i), moreStart(i + 1)).
  private final PackedLongs firstDepBack = new PackedLongs();
  private final PackedLongs moreStart = new PackedLongs();
  private final IntList moreDeps = new IntList();
  private final ChangeTails tails = new ChangeTails();
  private final Map<Integer, String> messages = new HashMap<>();

  {
    moreStart.add(0);
  }

  private final Map<Integer, byte[]> extraBytes = new HashMap<>();
  private final List<ActorId> actors = new ArrayList<>();
  private final Map<ActorId, Integer> actorIndexes = new HashMap<>();
  private @Nullable ActorId lastActor;
  private int lastActorIndex;
  // Each actor's changes in seq order, as change indexes.
  private final List<PackedLongs> chains = new ArrayList<>();
  private final TreeSet<ChangeHash> heads = new TreeSet<>();
  // Stored changes added to an empty graph are indexed in one sweep by setStoredHeads.
  private boolean indexPending;

  /** Every actor with a change here, in the order they first appeared. */
  public List<ActorId> actors() {
    List<ActorId> withChanges = new ArrayList<>(actors.size());
    for (int i = 0; i < actors.size(); i++) {
      // An actor stays known after removeLast took its only change back.
      if (chains.get(i).size() > 0) {
        withChanges.add(actors.get(i));
      }
    }
    return withChanges;
  }

  public int size() {
    return size;
  }

  public boolean contains(ChangeHash hash) {
    return indexOf(hash) >= 0;
  }

  /** Whether every one of {@code hashes} is a change here; true for none. */
  public boolean containsAll(Collection<ChangeHash> hashes) {
    for (ChangeHash hash : hashes) {
      if (!contains(hash)) {
        return false;
      }
    }
    return true;
  }

  /** How many of the latest changes {@link #indexOf} compares before it probes the index. */
  private static final int RECENT = 8;

  /**
   * The index of the change with {@code hash}, or -1. A change names the latest changes as its
   * dependencies far more often than any others, and their hashes sit together at the end of the
   * hash pages, in cache: comparing them first spares most probes of the index, a table of some
   * megabytes where each probe is a cache miss.
   */
  public int indexOf(ChangeHash hash) {
    // Most lookups of a new change's own hash miss: its first four bytes rule out nearly all.
    int prefix = HashIndex.start(hash);
    for (int change = size - 1; change >= 0 && change >= size - RECENT; change--) {
      if (hashes.intAt(change * 32L) == prefix && hashes.hashEquals(change * 32L, hash)) {
        return change;
      }
    }
    return index.find(hash, hashes);
  }

  public ChangeHash hash(int change) {
    return hashes.hashAt(change * 32L);
  }

  public ActorId actor(int change) {
    return actors.get(actorIndex(change));
  }

  public long seq(int change) {
    return ChunkParts.readUleb(tail(change), new int[] {0});
  }

  /** The counter of the change's first op: read from its tail, right after its seq. */
  public long startOp(int change) {
    byte[] tail = tail(change);
    int[] position = {0};
    ChunkParts.readUleb(tail, position);
    return ChunkParts.readUleb(tail, position);
  }

  /**
   * The heads of the first {@code count} changes, sorted: since changes are kept in a topological
   * order, those changes are causally closed, and their heads are the ones none of them depends on.
   */
  public List<ChangeHash> headsOfFirst(int count) {
    return GraphWalks.headsOfFirst(this, count);
  }

  public long maxOp(int change) {
    return maxOpOf.get(change);
  }

  /**
   * The largest maxOp of any change, 0 without changes: the counter a new local change starts
   * after, as Automerge starts it.
   */
  public long largestMaxOp() {
    long largest = 0;
    for (int change = 0; change < maxOpOf.size(); change++) {
      largest = Math.max(largest, maxOpOf.get(change));
    }
    return largest;
  }

  public long time(int change) {
    return timeOf.get(change);
  }

  /** The index of the change's actor among this graph's actors, in order of first appearance. */
  public int actorIndex(int change) {
    return (int) actorOf.get(change);
  }

  public Optional<String> message(int change) {
    // Most documents have no messages: skip boxing the index for the lookup.
    return messages.isEmpty() ? Optional.empty() : Optional.ofNullable(messages.get(change));
  }

  /** The change's extra bytes, a copy; a shared empty array for none (most changes). */
  public byte[] extraBytes(int change) {
    byte[] extra = extraBytes.isEmpty() ? null : extraBytes.get(change);
    return extra == null ? NO_BYTES : extra.clone();
  }

  /** How many dependencies the change at {@code change} has. */
  public int depCount(int change) {
    if (firstDepBack.get(change) == 0) {
      return 0;
    }
    return 1 + (int) (moreStart.get(change + 1) - moreStart.get(change));
  }

  /** The index of the change's {@code index}th dependency, in the change's own order. */
  public int dep(int change, int index) {
    if (index == 0) {
      return change - (int) firstDepBack.get(change);
    }
    return moreDeps.get((int) moreStart.get(change) + index - 1);
  }

  /** The dependency indexes of the change at {@code change}, in the change's own order. */
  public int[] depsOf(int change) {
    int[] deps = new int[depCount(change)];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = dep(change, i);
    }
    return deps;
  }

  /** The current heads, sorted. */
  public List<ChangeHash> heads() {
    return List.copyOf(heads);
  }

  /** The highest seq this graph holds for {@code actor}, 0 if none. */
  public long lastSeq(ActorId actor) {
    Integer actorIndex = actorIndexes.get(actor);
    return actorIndex == null ? 0 : chains.get(actorIndex).size();
  }

  /**
   * The change at {@code change}, rebuilt from storage and decoded.
   *
   * @throws IllegalStateException if the stored bytes no longer hash to the stored hash
   */
  public Change get(int change) {
    byte[] chunk = chunk(change);
    try {
      return ChangeChunks.decode(chunk);
    } catch (CorruptDataException e) {
      throw new IllegalStateException("stored change " + change + " no longer decodes", e);
    }
  }

  /** The exact type-1 chunk of the change at {@code change}. */
  public byte[] chunk(int change) {
    if (change < 0 || change >= size) {
      throw new IndexOutOfBoundsException(change + " of " + size);
    }
    return tails.chunk(this, hashes, change);
  }

  private byte[] tail(int change) {
    if (change < 0 || change >= size) {
      throw new IndexOutOfBoundsException(change + " of " + size);
    }
    return tails.get(this, hashes, change);
  }

  /**
   * Appends a change whose dependencies are all present and whose seq follows its actor's last, and
   * returns the hashes that stopped being heads, for {@link #removeLast}.
   *
   * @throws IllegalStateException if a dependency is missing or the seq is out of order (the caller
   *     checks both first)
   */
  public List<ChangeHash> add(Change change) {
    List<ChangeHash> deps = change.deps();
    int[] depIndexes = new int[deps.size()];
    for (int i = 0; i < depIndexes.length; i++) {
      depIndexes[i] = indexOf(deps.get(i));
      if (depIndexes[i] < 0) {
        throw new IllegalStateException("dependency " + deps.get(i) + " of " + change + " missing");
      }
    }
    append(change, depIndexes);
    List<ChangeHash> replaced = new ArrayList<>(deps.size());
    for (ChangeHash dep : deps) {
      if (heads.remove(dep)) {
        replaced.add(dep);
      }
    }
    heads.add(change.hash());
    return replaced;
  }

  /** Makes room for {@code more} changes ahead of a bulk load. */
  public void reserve(int more) {
    index.reserve(more);
  }

  /**
   * Appends a change rebuilt from a document chunk, given by its parts rather than as a {@link
   * Change}, so that loading allocates no chunk per change: {@code depRows} are the indexes of its
   * dependencies, all present; its hash is the 32 bytes of {@code hashes} at {@code hashOffset}.
   * Its body is not kept: {@link #setStoredHeads} names where to rebuild it. Unlike {@link #add} it
   * leaves the heads alone; {@link #setStoredHeads} sets them once every stored change is in.
   *
   * @throws IllegalStateException if its seq does not follow its actor's last, or a change was
   *     added otherwise before
   */
  public void addStored(
      ActorId actor,
      long seq,
      long maxOp,
      long time,
      Optional<String> message,
      byte[] extra,
      int[] depRows,
      byte[] hashes,
      int hashOffset) {
    if (size != tails.storedCount() || tails.hasStoredSource()) {
      throw new IllegalStateException("stored changes go first, into an empty graph");
    }
    for (int dep : depRows) {
      if (dep < 0 || dep >= size) {
        throw new IllegalStateException(
            "dependency row " + dep + " of change " + size + " missing");
      }
    }
    if (size == 0) {
      indexPending = true;
    }
    append(actor, seq, maxOp, time, message, extra, depRows, hashes, hashOffset, NO_BYTES, 0, -1);
    tails.addStored();
  }

  /**
   * Sets the heads after {@link #addStored} calls, as the caller verified them, and indexes the
   * stored changes' hashes in one sweep: random writes into a large table overlap when nothing else
   * runs between them. {@code bodies} rebuilds the stored changes' bodies when one is first asked
   * for.
   */
  public void setStoredHeads(List<ChangeHash> storedHeads, StoredBodies bodies) {
    tails.setStoredSource(bodies);
    heads.clear();
    heads.addAll(storedHeads);
    if (indexPending) {
      indexPending = false;
      index.addAll(size, hashes);
    }
  }

  private void append(Change change, int[] depIndexes) {
    // Scratch buffers: a local commit appends one change at a time, and the pages copy what they
    // keep, so neither the hash nor the chunk needs an array of its own.
    byte[] hash = hashScratch;
    change.hash().copyTo(hash, 0);
    chunkScratch.reset();
    change.writeTo(chunkScratch);
    byte[] chunk = chunkScratch.buffer();
    int chunkLength = chunkScratch.size();
    append(
        change.actor(),
        change.seq(),
        change.maxOp(),
        change.time(),
        change.message(),
        change.extraBytes(),
        depIndexes,
        hash,
        0,
        chunk,
        ChunkParts.tailOffset(chunk),
        chunkLength - ChunkParts.tailOffset(chunk));
    if (chunk.length > SCRATCH_KEEP_BYTES) {
      chunkScratch = new ScratchStream();
    }
  }

  /**
   * Appends one change; only the {@code length} bytes of its chunk from {@code tailFrom} are kept,
   * none for a length of -1 (a stored change, whose tail is rebuilt on demand).
   */
  private void append(
      ActorId actor,
      long seq,
      long maxOp,
      long time,
      Optional<String> message,
      byte[] extra,
      int[] depIndexes,
      byte[] hash,
      int hashOffset,
      byte[] chunk,
      int tailFrom,
      int length) {
    int actorIndex;
    if (actor.equals(lastActor)) {
      // Consecutive changes are mostly by one actor: no hash lookup for them.
      actorIndex = lastActorIndex;
    } else {
      // get before computeIfAbsent: the method reference would be a new object per change.
      Integer known = actorIndexes.get(actor);
      actorIndex = known != null ? known : actorIndexes.computeIfAbsent(actor, this::newActor);
      lastActor = actor;
      lastActorIndex = actorIndex;
    }
    PackedLongs chain = chains.get(actorIndex);
    if (seq != chain.size() + 1) {
      throw new IllegalStateException("seq " + seq + " after " + chain.size());
    }
    int at = size;
    hashes.append(hash, hashOffset, ChangeHash.LENGTH);
    actorOf.add(actorIndex);
    maxOpOf.add(maxOp);
    timeOf.add(time);
    if (message.isPresent()) {
      messages.put(at, message.get());
    }
    if (extra.length > 0) {
      extraBytes.put(at, extra);
    }
    firstDepBack.add(depIndexes.length == 0 ? 0 : at - depIndexes[0]);
    for (int i = 1; i < depIndexes.length; i++) {
      moreDeps.add(depIndexes[i]);
    }
    moreStart.add(moreDeps.size());
    if (length >= 0) {
      tails.add(chunk, tailFrom, length);
    }
    chain.add(at);
    size++;
    if (!indexPending) {
      index.add(at, hashes);
    }
  }

  private int newActor(ActorId actor) {
    actors.add(actor);
    chains.add(new PackedLongs());
    return actors.size() - 1;
  }

  /** Takes back the most recent {@link #add}, given the heads it replaced. */
  public void removeLast(List<ChangeHash> replacedHeads) {
    int at = size - 1;
    if (at < tails.storedCount()) {
      throw new IllegalStateException("removeLast takes back an add, not a stored change");
    }
    ChangeHash hash = hash(at);
    index.remove(at, hashes);
    size--;
    hashes.truncate(at * 32L);
    tails.truncate(at);
    // The change taken back is its actor's last.
    PackedLongs chain = chains.get(actorIndex(at));
    chain.truncate(chain.size() - 1);
    actorOf.truncate(at);
    maxOpOf.truncate(at);
    timeOf.truncate(at);
    firstDepBack.truncate(at);
    moreDeps.truncate((int) moreStart.get(at));
    moreStart.truncate(at + 1);
    messages.remove(at);
    extraBytes.remove(at);
    heads.remove(hash);
    heads.addAll(replacedHeads);
  }

  /**
   * The changes reachable from {@code from} (inclusive), as a set of indexes.
   *
   * @throws IllegalArgumentException if a hash is not in the graph
   */
  public BitSet closure(List<ChangeHash> from) {
    return GraphWalks.closure(this, from);
  }

  /**
   * The indexes of the changes not reachable from {@code since} (hashes not in the graph are
   * ignored), ascending. Walks back from the heads and from {@code since} together, highest index
   * first, and stops once nothing new is left to visit: the cost grows with the changes since
   * {@code since}, not with the whole history, which is what a sync round needs.
   */
  public int[] indexesSince(List<ChangeHash> since) {
    return GraphWalks.indexesSince(this, since);
  }

  /** The changes not reachable from {@code since}, in the order they were applied. */
  public List<Change> changesSince(List<ChangeHash> since) {
    int[] indexes = indexesSince(since);
    List<Change> result = new ArrayList<>(indexes.length);
    for (int index : indexes) {
      result.add(get(index));
    }
    return result;
  }

  /** All changes in the order they were applied. */
  public List<Change> all() {
    List<Change> result = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      result.add(get(i));
    }
    return result;
  }
}
