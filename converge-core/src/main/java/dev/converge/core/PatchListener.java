package dev.converge.core;

import java.util.List;

/**
 * Receives the patches of every change applied to a document, local or remote, right after it is
 * applied, on the thread that applied it.
 */
@FunctionalInterface
public interface PatchListener {
  void onPatches(List<Patch> patches);
}
