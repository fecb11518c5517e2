package dev.converge.server.inspector;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The inspector's URLs. Pages: {@code /} (the documents) and {@code /doc/DOCUMENT_ID}; their
 * scripts and style under {@code /assets/}; JSON under {@code /api/}: {@code documents}, {@code
 * doc/ID} (summary), {@code doc/ID/history}, {@code doc/ID/value}, {@code doc/ID/diff}, and the
 * event stream {@code events}; on a sync server also {@code server} (peers and metrics) and {@code
 * doc/ID/peers} (each peer's heads), see {@link ServerJson}. Only GET (and HEAD) is served: the
 * inspector changes nothing. Any other path is left to the next handler.
 */
final class InspectorRoutes extends Handler.Abstract {
  private static final int HISTORY_INDEXES_MAX = 32;

  private final Repo repo;
  private final DocumentList documents;
  private final LiveEvents events;
  private final @Nullable ServerStatus server;
  private final Assets assets = new Assets();
  // The layouts of the documents looked at most recently; guarded by itself.
  private final Map<DocumentId, HistoryIndex> indexes =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<DocumentId, HistoryIndex> eldest) {
          return size() > HISTORY_INDEXES_MAX;
        }
      };

  InspectorRoutes(Repo repo, LiveEvents events, @Nullable ServerStatus server) {
    this.repo = repo;
    this.server = server;
    this.documents = new DocumentList(repo);
    this.events = events;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!isInspectorPath(path)) {
      return false;
    }
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "the inspector is read-only");
      return true;
    }
    try {
      route(path, request, response, callback);
    } catch (BadRequestException e) {
      error(response, callback, HttpStatus.BAD_REQUEST_400, String.valueOf(e.getMessage()));
    } catch (ConvergeException e) {
      // Bad heads or objects in a request surface from the engine as INVALID_ARGUMENT.
      if (e.kind() != ConvergeException.Kind.INVALID_ARGUMENT) {
        throw e;
      }
      error(response, callback, HttpStatus.BAD_REQUEST_400, String.valueOf(e.getMessage()));
    }
    return true;
  }

  static boolean isInspectorPath(String path) {
    return path.equals("/")
        || path.startsWith("/doc/")
        || path.startsWith("/assets/")
        || path.startsWith("/api/");
  }

  private void route(String path, Request request, Response response, Callback callback) {
    QueryParams params = new QueryParams(Request.extractQueryParameters(request));
    if (path.equals("/")) {
      assets.serve("index.html", response, callback);
    } else if (path.startsWith("/assets/")) {
      if (!assets.serve(path.substring("/assets/".length()), response, callback)) {
        error(response, callback, HttpStatus.NOT_FOUND_404, "no asset " + path);
      }
    } else if (path.startsWith("/doc/")) {
      String id = path.substring("/doc/".length());
      if (document(id).isEmpty()) {
        error(response, callback, HttpStatus.NOT_FOUND_404, "no document " + id);
      } else {
        assets.serve("doc.html", response, callback);
      }
    } else if (path.equals("/api/documents")) {
      json(response, callback, documents.page(params));
    } else if (path.equals("/api/server")) {
      ServerStatus status = server;
      if (status == null) {
        error(response, callback, HttpStatus.NOT_FOUND_404, "not a sync server");
      } else {
        json(response, callback, ServerJson.server(status));
      }
    } else if (path.equals("/api/events")) {
      events.open(request, response, callback);
    } else if (path.startsWith("/api/doc/")) {
      String rest = path.substring("/api/doc/".length());
      int slash = rest.indexOf('/');
      String id = slash < 0 ? rest : rest.substring(0, slash);
      String view = slash < 0 ? "" : rest.substring(slash + 1);
      Optional<DocumentView> doc = document(id);
      if (doc.isEmpty()) {
        error(response, callback, HttpStatus.NOT_FOUND_404, "no document " + id);
        return;
      }
      switch (view) {
        case "":
          json(response, callback, doc.get().summary());
          break;
        case "history":
          json(response, callback, doc.get().history(params));
          break;
        case "value":
          json(response, callback, doc.get().value(params));
          break;
        case "diff":
          json(response, callback, doc.get().diff(params));
          break;
        case "peers":
          ServerStatus status = server;
          if (status == null) {
            error(response, callback, HttpStatus.NOT_FOUND_404, "not a sync server");
          } else {
            json(response, callback, ServerJson.documentPeers(doc.get().handle(), status));
          }
          break;
        default:
          error(response, callback, HttpStatus.NOT_FOUND_404, "no view " + view);
      }
    } else {
      error(response, callback, HttpStatus.NOT_FOUND_404, "not found: " + path);
    }
  }

  /** The document {@code id}, if the repository has it; a malformed ID is a bad request. */
  private Optional<DocumentView> document(String id) {
    DocumentId parsed;
    try {
      parsed = DocumentId.parse(id);
    } catch (ConvergeException e) {
      throw new BadRequestException("document", "a document ID (base58check)", id, e);
    }
    Optional<DocHandle> handle = repo.find(parsed);
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    HistoryIndex index;
    synchronized (indexes) {
      index = indexes.computeIfAbsent(parsed, unused -> new HistoryIndex());
    }
    return Optional.of(new DocumentView(handle.get(), index));
  }

  private static void json(Response response, Callback callback, String body) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, body, callback);
  }

  private static void error(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    json(
        response,
        callback,
        Json.write(
            out -> {
              out.writeStartObject();
              out.writeStringField("error", message);
              out.writeEndObject();
            }));
  }
}
