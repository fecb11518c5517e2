package dev.converge.server.inspector;

import dev.converge.repo.Repo;
import org.eclipse.jetty.server.Handler;

/**
 * The inspector: a read-only web view of a {@link Repo} for people (documents with search, a
 * document's value as a tree, its history and causal graph, time travel, diffs, live updates). It
 * is a Jetty {@link Handler} to mount at the root of any server that has the repository: {@link
 * InspectorServer} for a local repository ({@code converge ui}), or beside the sync endpoints of a
 * server. It answers {@code /}, {@code /doc/...}, {@code /assets/...} and {@code /api/...} and
 * leaves every other path to the next handler.
 *
 * <p>Thread-safety: safe for use by many threads. Close it before the repository.
 */
public final class Inspector implements AutoCloseable {
  private final LiveEvents events;
  private final InspectorRoutes routes;

  private Inspector(Repo repo) {
    this.events = new LiveEvents(repo);
    this.routes = new InspectorRoutes(repo, events);
  }

  /**
   * An inspector of {@code repo}, which starts following the repository's change log for live
   * updates.
   */
  public static Inspector over(Repo repo) {
    return new Inspector(repo);
  }

  /** The handler to mount; the same one on every call. */
  public Handler handler() {
    return routes;
  }

  /** Ends the live event streams and stops following the change log. */
  @Override
  public void close() {
    events.close();
  }
}
