package dev.converge.core.sync;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ByteWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one replica knows about syncing one document with one peer (automerge-compat §3.3): the
 * heads both are known to share, what we last sent, what the peer last told us, which changes we
 * already sent in this session, and the peer's capabilities.
 *
 * <p>Only {@link #sharedHeads()} outlives a connection: {@link #encode()} writes it (type byte
 * {@code 0x43}, then a hash array, as Automerge does) and {@link #decode} reads it back into an
 * otherwise fresh state. A new connection must start from a fresh state or a decoded one, never
 * from the state of a session that ended (see the package documentation).
 *
 * <p>Mutable and not thread-safe: one per (document, peer), used by one thread at a time.
 */
public final class SyncState {
  static final int TYPE_BYTE = 0x43;

  List<ChangeHash> sharedHeads = List.of();
  List<ChangeHash> lastSentHeads = List.of();
  @Nullable List<ChangeHash> theirHeads;
  @Nullable List<ChangeHash> theirNeed;
  @Nullable List<Have> theirHave;
  final Set<ChangeHash> sentHashes = new HashSet<>();
  // The heads of a whole document sent in this session: every change they cover counts as sent,
  // without a set entry per change (a catch-up sends a whole document of any size).
  List<ChangeHash> sentDocumentHeads = List.of();
  boolean inFlight;
  boolean haveResponded;
  boolean peerSupportsV2;
  boolean peerSupportsSyncReset;
  boolean readOnly;
  boolean peerReadOnly;
  boolean needsReset;

  /** A fresh state, for a peer we have never synced with (or whose state we dropped). */
  public SyncState() {}

  /** A fresh state that does not apply the peer's changes but still sends ours. */
  public static SyncState readOnly() {
    SyncState state = new SyncState();
    state.readOnly = true;
    return state;
  }

  /**
   * An independent copy of the whole state, in-session parts included: for model checkers that
   * branch one session into many. A live session has no use for one; to resume later, persist
   * {@link #encode()}.
   */
  public SyncState copy() {
    SyncState copy = new SyncState();
    copy.sharedHeads = sharedHeads;
    copy.lastSentHeads = lastSentHeads;
    copy.theirHeads = theirHeads;
    copy.theirNeed = theirNeed;
    copy.theirHave = theirHave;
    copy.sentHashes.addAll(sentHashes);
    copy.sentDocumentHeads = sentDocumentHeads;
    copy.inFlight = inFlight;
    copy.haveResponded = haveResponded;
    copy.peerSupportsV2 = peerSupportsV2;
    copy.peerSupportsSyncReset = peerSupportsSyncReset;
    copy.readOnly = readOnly;
    copy.peerReadOnly = peerReadOnly;
    copy.needsReset = needsReset;
    return copy;
  }

  /** The persistable part: {@code 0x43}, then the shared heads as a hash array. */
  public byte[] encode() {
    ByteWriter out = new ByteWriter(2 + sharedHeads.size() * ChangeHash.LENGTH);
    out.writeByte(TYPE_BYTE);
    out.writeUleb(sharedHeads.size());
    byte[] buffer = new byte[ChangeHash.LENGTH];
    for (ChangeHash head : sharedHeads) {
      head.copyTo(buffer, 0);
      out.writeBytes(buffer);
    }
    return out.toByteArray();
  }

  /**
   * A fresh state holding the shared heads {@link #encode()} wrote. Bytes after the hash array are
   * ignored, as Automerge ignores them.
   *
   * @throws CorruptDataException if the bytes are not an encoded sync state
   */
  public static SyncState decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes);
    int type = in.readUnsignedByte("sync state type");
    if (type != TYPE_BYTE) {
      throw new CorruptDataException(
          String.format("sync state type 0x%02x, expected 0x%02x", type, TYPE_BYTE));
    }
    int count = in.readCount("sync state shared heads count", in.remaining() / ChangeHash.LENGTH);
    List<ChangeHash> heads = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      heads.add(ChangeHash.of(in.array(), in.position()));
      in.skip(ChangeHash.LENGTH, "shared head");
    }
    SyncState state = new SyncState();
    state.sharedHeads = List.copyOf(heads);
    state.theirHave = List.of();
    return state;
  }

  /** The heads both peers are known to have, sorted. */
  public List<ChangeHash> sharedHeads() {
    return sharedHeads;
  }

  /** The heads in the last message we sent. */
  public List<ChangeHash> lastSentHeads() {
    return lastSentHeads;
  }

  /** The heads in the last message we received, empty before the first. */
  public Optional<List<ChangeHash>> theirHeads() {
    return Optional.ofNullable(theirHeads);
  }

  /** The hashes the peer last asked for, empty before the first message. */
  public Optional<List<ChangeHash>> theirNeed() {
    return Optional.ofNullable(theirNeed);
  }

  /** What the peer last said it has, empty before the first message. */
  public Optional<List<Have>> theirHave() {
    return Optional.ofNullable(theirHave);
  }

  /** The changes sent in this session that the peer has not yet acknowledged. */
  public Set<ChangeHash> sentHashes() {
    return Set.copyOf(sentHashes);
  }

  /**
   * The heads of the whole document last sent in this session, empty if none was: every change they
   * cover counts as sent, beside {@link #sentHashes()}.
   */
  public List<ChangeHash> sentDocumentHeads() {
    return sentDocumentHeads;
  }

  /** Forgets every change sent in this session, so that any may be sent again. */
  void forgetSent() {
    sentHashes.clear();
    sentDocumentHeads = List.of();
  }

  /** Whether we sent a message the peer has not answered yet. */
  public boolean inFlight() {
    return inFlight;
  }

  /** Whether we have sent at least one message in this session. */
  public boolean haveResponded() {
    return haveResponded;
  }

  /** Whether the peer sent a flags section, so understands v2 messages. */
  public boolean peerSupportsV2() {
    return peerSupportsV2;
  }

  /** Whether the peer understands {@link SyncMessage#FLAG_SYNC_RESET}. */
  public boolean peerSupportsSyncReset() {
    return peerSupportsSyncReset;
  }

  /** Whether we ignore the peer's changes. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** Whether the peer said it ignores our changes. */
  public boolean isPeerReadOnly() {
    return peerReadOnly;
  }

  /**
   * Switches read-only mode. Turning it off starts the session over (keeping the peer's
   * capabilities) and makes the next message ask the peer to forget what it sent, so it resends the
   * changes we ignored; turning it on makes the next message announce it.
   */
  public void setReadOnly(boolean value) {
    if (readOnly == value) {
      return;
    }
    if (readOnly) {
      sharedHeads = List.of();
      lastSentHeads = List.of();
      theirHeads = null;
      theirNeed = null;
      theirHave = null;
      forgetSent();
      inFlight = false;
      haveResponded = false;
      peerReadOnly = false;
      readOnly = false;
      needsReset = true;
    } else {
      readOnly = true;
      inFlight = false;
      haveResponded = false;
    }
  }

  @Override
  public String toString() {
    return "SyncState[shared="
        + sharedHeads.size()
        + " heads, theirHeads="
        + (theirHeads == null ? "unknown" : theirHeads.size())
        + ", sent="
        + sentHashes.size()
        + (sentDocumentHeads.isEmpty() ? "" : " and a document")
        + ", inFlight="
        + inFlight
        + "]";
  }
}
