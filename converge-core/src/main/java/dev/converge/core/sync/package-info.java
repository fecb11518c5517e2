/**
 * Automerge's sync protocol: two replicas of a document exchange messages until each has every
 * change the other has (automerge-compat §3).
 *
 * <p>The flow, for one document and one peer: each side keeps a {@link
 * dev.converge.core.sync.SyncState}. Whenever the document changed or a message arrived, call
 * {@link dev.converge.core.sync.Sync#generateMessage} and send what it returns; when a message
 * arrives, pass it to {@link dev.converge.core.sync.Sync#receiveMessage}. A message carries the
 * sender's heads, the hashes it needs, a Bloom filter of the changes it added since the last sync
 * ({@link dev.converge.core.sync.Have}), and changes for the receiver. The exchange is over when
 * both sides return empty; then both have the same heads.
 *
 * <p>Rules for the network layer. The protocol assumes an ordered, reliable stream: a lost message
 * can leave both sides waiting for each other forever (measured on the reference implementation:
 * 135 of 300 runs with dropped messages never converged without a reset). So:
 *
 * <ol>
 *   <li>Use an ordered, reliable transport (TCP, WebSocket). Any gap, timeout or decode error
 *       closes the session.
 *   <li>A new session always starts from {@code new SyncState()} or from {@code
 *       SyncState.decode(persisted)}, never from the state object of a session that ended.
 *   <li>Watchdog: once per round (each answered message, and each tick of the session's timer),
 *       check whether our heads, the shared heads or the peer's heads moved. After {@link
 *       dev.converge.core.sync.SyncWatchdog#DEFAULT_IDLE_ROUNDS} rounds in a row without progress
 *       while the session is not settled (the peer's heads differ from ours), close the session and
 *       start a new one as in rule 2. {@link dev.converge.core.sync.SyncWatchdog} implements the
 *       count.
 *   <li>Persist {@link dev.converge.core.sync.SyncState#encode()} only after the document changes
 *       it covers are durable.
 * </ol>
 *
 * <p>Bad input: a malformed message raises {@link dev.converge.core.CorruptDataException}, one over
 * the {@link dev.converge.core.sync.SyncLimits} raises {@link
 * dev.converge.core.LimitExceededException}, and in both cases the document and the state are
 * exactly as before, so the session may continue or be closed. Unlike Automerge, which loads the
 * valid prefix of a partly broken changes entry, Converge applies nothing from such a message.
 */
package dev.converge.core.sync;
