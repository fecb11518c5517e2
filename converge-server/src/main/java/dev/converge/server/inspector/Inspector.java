package dev.converge.server.inspector;

import dev.converge.repo.Repo;
import org.eclipse.jetty.server.Handler;
import org.jspecify.annotations.Nullable;

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

  private Inspector(Repo repo, @Nullable ServerStatus server) {
    this.events = new LiveEvents(repo);
    this.routes = new InspectorRoutes(repo, events, server);
  }

  /**
   * An inspector of {@code repo}, which starts following the repository's change log for live
   * updates.
   */
  public static Inspector over(Repo repo) {
    return new Inspector(repo, null);
  }

  /**
   * An inspector of a sync server's {@code repo} that also shows what {@code server} tells: the
   * connected peers, each peer's heads of a document and how far behind it is, and charts of the
   * server's metrics.
   */
  public static Inspector over(Repo repo, ServerStatus server) {
    return new Inspector(repo, server);
  }

  /** Whether {@code path} is one the inspector answers ({@code /}, {@code /doc/...}, and so on). */
  public static boolean serves(String path) {
    return InspectorRoutes.isInspectorPath(path);
  }

  /**
   * The handler to mount on a server bound to {@code host}: bound to a loopback address, it answers
   * only requests addressed to a loopback name, so that a web page elsewhere cannot read it through
   * a DNS name pointed at 127.0.0.1.
   */
  public Handler handlerFor(String host) {
    return InspectorServer.isLoopback(host) ? new LoopbackHostCheck(routes) : routes;
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
