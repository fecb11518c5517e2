/**
 * The inspector: a read-only web view of a repository. {@link
 * dev.converge.server.inspector.Inspector} is a Jetty handler over a {@code Repo}; {@link
 * dev.converge.server.inspector.InspectorServer} serves it alone ({@code converge ui}).
 *
 * <p>Flow: the pages (static HTML and plain JavaScript in the jar, no network at run time) fetch
 * JSON from {@code /api/}: a page of documents ({@code DocumentList}), a document's summary and a
 * page of its history with the causal graph's lanes ({@code DocumentView}, {@code HistoryIndex},
 * {@code GraphLayout}), one object of its value at any version ({@code ValueJson}), and the diff
 * between two versions ({@code PatchJson}). {@code LiveEvents} tells open pages, by Server-Sent
 * Events, which documents changed; they fetch again.
 */
@NullMarked
package dev.converge.server.inspector;

import org.jspecify.annotations.NullMarked;
