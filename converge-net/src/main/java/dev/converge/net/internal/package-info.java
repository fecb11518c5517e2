/**
 * What both sides of a sync session use and no caller outside the module may: the sync state of one
 * document with one peer ({@link dev.converge.net.internal.SharedDocument}), the purge and
 * compaction messages, the high-water marks that drop replayed ephemeral and gossip messages, and
 * per-document listener lists. Not exported.
 */
@NullMarked
package dev.converge.net.internal;

import org.jspecify.annotations.NullMarked;
