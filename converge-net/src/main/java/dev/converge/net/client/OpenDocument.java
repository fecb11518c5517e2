package dev.converge.net.client;

import dev.converge.core.sync.SyncMessage;
import dev.converge.net.internal.PeerDocumentStatus;
import dev.converge.net.internal.ProtocolAccess;
import dev.converge.net.internal.SharedDocument;
import dev.converge.net.internal.SharedDocument.PeerState;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.Request;
import dev.converge.repo.DocHandle;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A document a {@link RepoPeer} syncs. */
final class OpenDocument {
  final SharedDocument<RepoPeerSession> shared;
  final SharedDocument.Sender<RepoPeerSession> sender;
  final DocHandle.ChangeListener listener;
  private final String peerId;

  /** Set while we lack the document and ask for it: the {@link RepoPeer#find} to complete. */
  volatile @Nullable CompletableFuture<DocHandle> requested;

  /** Whether we asked any peer yet (guarded by the peer's lock). */
  boolean syncStarted;

  OpenDocument(DocHandle handle, boolean lacking, String peerId) {
    this.peerId = peerId;
    this.shared = new SharedDocument<>(handle.id(), handle);
    this.sender = (document, session, state, message) -> sendSync(session, state, message);
    this.listener = (changed, added) -> shared.offerAll(sender);
    this.requested = lacking ? new CompletableFuture<>() : null;
  }

  /** Called under the handle's lock, by {@link SharedDocument}. */
  private void sendSync(RepoPeerSession session, PeerState state, SyncMessage message) {
    String remote = session.remotePeerId;
    if (remote == null) {
      return;
    }
    boolean ourHeadsEmpty = message.heads().isEmpty();
    // As DocSynchronizer: the first message asks for the document when we have nothing, share
    // nothing with this peer, know of no peer with the document and know nothing of this one.
    boolean ask =
        requested != null
            && ourHeadsEmpty
            && state.syncState.sharedHeads().isEmpty()
            && shared.peersWith(PeerDocumentStatus.HAS).isEmpty()
            && state.status == PeerDocumentStatus.UNKNOWN;
    Bytes data = ProtocolAccess.wrap(message.encode());
    session.send(
        ask
            ? new Request(peerId, remote, shared.id, data)
            : new RepoMessage.Sync(peerId, remote, shared.id, data));
    if (!ourHeadsEmpty) {
      state.status = PeerDocumentStatus.HAS;
    }
  }
}
