/**
 * The document engine. Applications use {@code dev.converge.core} (documents, transactions,
 * changes, values, patches) and {@code dev.converge.core.sync} (the sync protocol's state and
 * messages); the codecs, the change graph and the op set under {@code dev.converge.core.internal}
 * are not exported, so no other module can reach them.
 */
module dev.converge.core {
  // @Nullable is read at compile time only (NullAway, and the modules that use core's API).
  requires static transitive org.jspecify;

  exports dev.converge.core;
  exports dev.converge.core.sync;
}
