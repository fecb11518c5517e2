/**
 * What both sides of a sync session use and no caller outside the module may: the sync state of one
 * document with one peer ({@link dev.converge.net.internal.SharedDocument}), the purge and
 * compaction messages, the high-water marks that drop replayed ephemeral and gossip messages, and
 * per-document listener lists; and the log throttle that the server module shares. Exported only to
 * {@code dev.converge.server}.
 */
@NullMarked
package dev.converge.net.internal;

import org.jspecify.annotations.NullMarked;
