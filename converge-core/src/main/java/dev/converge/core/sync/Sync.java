package dev.converge.core.sync;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.Document;
import dev.converge.core.LimitExceededException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Automerge's sync protocol between two replicas of one document (automerge-compat §3.4, §3.5):
 * each side calls {@link #generateMessage} and sends what it returns, and calls {@link
 * #receiveMessage} on what arrives, until neither side has anything to send. Peer to peer: either
 * side may start, and a server is just another peer.
 *
 * <p>Byte-compatible with Automerge 3: the first message is v1 with a flags trailer; once the peer
 * has sent flags we use v2, which carries the concatenated change chunks in one entry, or the whole
 * document when the peer has nothing or needs more than a third of all changes.
 */
public final class Sync {
  private Sync() {}

  /**
   * The next message for the peer, or empty when there is nothing to send: the peer has our heads
   * and we have nothing new for it, or our last message is still unanswered.
   */
  public static Optional<byte[]> generateMessage(Document doc, SyncState state) {
    return generate(doc, state).map(SyncMessage::encode);
  }

  /** As {@link #generateMessage}, in decoded form. */
  public static Optional<SyncMessage> generate(Document doc, SyncState state) {
    List<ChangeHash> ourHeads = doc.heads();
    List<ChangeHash> theirHeads = state.theirHeads == null ? List.of() : state.theirHeads;
    List<ChangeHash> ourNeed =
        state.readOnly ? List.of() : HashSelection.missingDepsFrom(doc, theirHeads);
    // While we need changes the peer's heads do not name, our own filter would only repeat what
    // we already told it; ask for the needed changes alone (we are chasing false positives).
    // A peer known to have nothing has nothing to send us either: our filter, over every change
    // since our last sync, would be built and sent for no use (after a catch-up, the whole log).
    boolean peerHasNothing = state.theirHeads != null && theirHeads.isEmpty();
    List<Have> ourHave =
        !peerHasNothing && new HashSet<>(theirHeads).containsAll(ourNeed)
            ? List.of(
                new Have(state.sharedHeads, BloomFilter.of(doc.hashesSince(state.sharedHeads))))
            : List.of();

    if (state.theirHave != null && !state.theirHave.isEmpty()) {
      for (ChangeHash hash : state.theirHave.get(0).lastSync()) {
        if (!doc.hasChange(hash)) {
          // The peer's last sync names a change we do not have (we lost data, or it confused us
          // with another replica): ask it to start over from nothing.
          return Optional.of(resetMessage(ourHeads));
        }
      }
    }

    Outgoing outgoing = chooseChanges(doc, state, ourHeads);

    boolean headsUnchanged = state.lastSentHeads.equals(ourHeads);
    boolean headsEqual = ourHeads.equals(state.theirHeads);
    if (headsUnchanged && state.haveResponded) {
      if ((headsEqual || state.readOnly) && outgoing.carriesNothing()) {
        return Optional.empty();
      }
      if (state.inFlight) {
        return Optional.empty();
      }
    }

    state.haveResponded = true;
    state.lastSentHeads = ourHeads;
    state.sentHashes.addAll(outgoing.hashes);
    if (!outgoing.documentHeads.isEmpty()) {
      // A document only grows, so these heads cover any document sent before.
      state.sentDocumentHeads = outgoing.documentHeads;
    }
    int flags = SyncMessage.FLAG_SUPPORTS_SYNC_RESET;
    if (state.readOnly) {
      flags |= SyncMessage.FLAG_READ_ONLY;
    }
    List<ChangeHash> headsToSend = ourHeads;
    if (state.needsReset) {
      state.needsReset = false;
      if (state.peerSupportsSyncReset) {
        flags |= SyncMessage.FLAG_SYNC_RESET;
      } else {
        // An old peer forgets what it sent when we look as if we lost everything.
        headsToSend = List.of();
      }
    }
    state.inFlight = true;
    return Optional.of(
        new SyncMessage(outgoing.version, headsToSend, ourNeed, ourHave, outgoing.entries, flags));
  }

  /**
   * The changes part of a message: its version, its entries and the hashes they carry, or for a
   * whole document the heads it covers at least.
   */
  private record Outgoing(
      SyncMessage.Version version,
      List<byte[]> entries,
      List<ChangeHash> hashes,
      List<ChangeHash> documentHeads) {
    Outgoing(SyncMessage.Version version, List<byte[]> entries, List<ChangeHash> hashes) {
      this(version, entries, hashes, List.of());
    }

    static Outgoing none(SyncState state) {
      return new Outgoing(
          state.peerSupportsV2 ? SyncMessage.Version.V2 : SyncMessage.Version.V1,
          List.of(),
          List.of());
    }

    /**
     * The whole document, covering at least {@code ourHeads}: a change committed after they were
     * read may be in the snapshot too, and is then only sent again later, never counted as sent
     * without being sent.
     */
    static Outgoing wholeDocument(Document doc, List<ChangeHash> ourHeads) {
      return new Outgoing(SyncMessage.Version.V2, List.of(doc.saveSnapshot()), List.of(), ourHeads);
    }

    boolean carriesNothing() {
      return hashes.isEmpty() && documentHeads.isEmpty();
    }
  }

  private static Outgoing chooseChanges(Document doc, SyncState state, List<ChangeHash> ourHeads) {
    if (state.peerReadOnly || state.theirHave == null || state.theirNeed == null) {
      return Outgoing.none(state);
    }
    if (state.peerSupportsV2 && state.theirHeads != null && state.theirHeads.isEmpty()) {
      return Outgoing.wholeDocument(doc, ourHeads);
    }
    // A peer whose heads include all of ours has every change we have: its filters would hold each
    // candidate, so only what it asks for by hash is left to send. This skips testing every change
    // since the last sync against its filters, which after a catch-up is the whole document.
    List<Have> have =
        state.theirHeads != null && new HashSet<>(state.theirHeads).containsAll(ourHeads)
            ? List.of()
            : state.theirHave;
    List<ChangeHash> candidates = HashSelection.hashesToSend(doc, have, state.theirNeed);
    // What a whole document sent earlier did not cover; built only when there is something to
    // check against it, since most messages of a settled session have no candidates.
    Set<ChangeHash> newerThanSentDocument =
        state.sentDocumentHeads.isEmpty() || candidates.isEmpty()
            ? Set.of()
            : new HashSet<>(doc.hashesSince(state.sentDocumentHeads));
    List<ChangeHash> hashes = new ArrayList<>();
    for (ChangeHash hash : candidates) {
      boolean sentInDocument =
          !state.sentDocumentHeads.isEmpty() && !newerThanSentDocument.contains(hash);
      if (!sentInDocument && !state.sentHashes.contains(hash)) {
        hashes.add(hash);
      }
    }
    if (hashes.isEmpty()) {
      return Outgoing.none(state);
    }
    int changeCount = doc.changeCount();
    if (hashes.size() > changeCount / 3 && state.peerSupportsV2) {
      return Outgoing.wholeDocument(doc, ourHeads);
    }
    List<byte[]> chunks = new ArrayList<>(hashes.size());
    int total = 0;
    for (ChangeHash hash : hashes) {
      byte[] chunk = doc.changeBytes(hash).orElseThrow();
      chunks.add(chunk);
      total += chunk.length;
    }
    if (!state.peerSupportsV2) {
      return new Outgoing(SyncMessage.Version.V1, chunks, hashes);
    }
    byte[] joined = new byte[total];
    int offset = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, joined, offset, chunk.length);
      offset += chunk.length;
    }
    return new Outgoing(SyncMessage.Version.V2, List.of(joined), hashes);
  }

  private static SyncMessage resetMessage(List<ChangeHash> ourHeads) {
    return new SyncMessage(
        SyncMessage.Version.V1,
        ourHeads,
        List.of(),
        List.of(Have.EVERYTHING),
        List.of(),
        SyncMessage.FLAG_SUPPORTS_SYNC_RESET);
  }

  /**
   * Applies a message from the peer with {@link SyncLimits#DEFAULT}.
   *
   * @throws CorruptDataException if the message is malformed or its changes contradict the
   *     document; the document and the state are unchanged
   * @throws LimitExceededException if the message is larger than the default limits allow; the
   *     document and the state are unchanged
   */
  public static void receiveMessage(Document doc, SyncState state, byte[] message) {
    receiveMessage(doc, state, message, SyncLimits.DEFAULT);
  }

  /**
   * Applies a message from the peer: loads the changes it carries (those whose dependencies are
   * missing wait in the document's queue) and records what the peer has and needs. The message is
   * decoded and its changes verified before the document or the state is touched.
   *
   * @throws CorruptDataException if the message is malformed or its changes contradict the
   *     document; the document and the state are unchanged
   * @throws LimitExceededException if the message is larger than {@code limits} allow; the document
   *     and the state are unchanged
   */
  public static void receiveMessage(
      Document doc, SyncState state, byte[] message, SyncLimits limits) {
    receive(doc, state, SyncMessage.decode(message, limits), limits);
  }

  /** As {@link #receiveMessage(Document, SyncState, byte[], SyncLimits)}, in decoded form. */
  public static void receive(
      Document doc, SyncState state, SyncMessage message, SyncLimits limits) {
    List<ChangeHash> beforeHeads = doc.heads();
    List<ChangeHash> sharedHeads = state.sharedHeads;
    boolean hasChanges = message.changeEntryCount() > 0;
    if (hasChanges && !state.readOnly) {
      // Throws before anything changed if a chunk is bad; the state is untouched until here.
      doc.loadIncremental(message.joinedChanges(), limits.load());
      sharedHeads = HashSelection.advanceHeads(beforeHeads, doc.heads(), sharedHeads);
    }

    state.inFlight = false;
    if (message.hasFlags()) {
      state.peerSupportsV2 = true;
      state.peerSupportsSyncReset = message.hasFlag(SyncMessage.FLAG_SUPPORTS_SYNC_RESET);
      if (message.hasFlag(SyncMessage.FLAG_SYNC_RESET)) {
        state.forgetSent();
      }
      state.peerReadOnly = message.hasFlag(SyncMessage.FLAG_READ_ONLY);
    }
    HashSelection.removeSeen(doc, message.heads(), state.sentHashes);
    if (!hasChanges && message.heads().equals(beforeHeads)) {
      state.lastSentHeads = message.heads();
    }
    List<ChangeHash> knownHeads = new ArrayList<>(message.heads().size());
    for (ChangeHash head : message.heads()) {
      if (doc.hasChange(head)) {
        knownHeads.add(head);
      }
    }
    if (knownHeads.size() == message.heads().size()) {
      sharedHeads = message.heads();
      if (message.heads().isEmpty()) {
        // The peer has lost everything: forget what we sent so that we send it all again.
        state.lastSentHeads = List.of();
        state.forgetSent();
      }
    } else {
      Set<ChangeHash> union = new TreeSet<>(sharedHeads);
      union.addAll(knownHeads);
      sharedHeads = List.copyOf(union);
    }
    state.sharedHeads = sharedHeads;
    state.theirHave = message.have();
    state.theirHeads = message.heads();
    state.theirNeed = message.need();
  }
}
