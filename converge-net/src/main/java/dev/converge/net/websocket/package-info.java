/**
 * The WebSocket client adapter: dials an automerge-repo sync server ({@code converge serve} or the
 * JavaScript one) with the JDK's {@link java.net.http.WebSocket}.
 */
@NullMarked
package dev.converge.net.websocket;

import org.jspecify.annotations.NullMarked;
