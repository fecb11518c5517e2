/**
 * The relay of sealed documents: {@link dev.converge.repo.sealed.relay.Relay} stores each
 * document's member log and envelopes, checks what it can without a document key (formats,
 * signatures, the member log's rules, sequence numbers) and reconciles with clients by version
 * vectors, forwarding the envelopes unopened. Where it keeps them is a {@code RelayStore}: in
 * memory ({@code InMemoryRelayStore}) or in SQLite ({@code SqliteRelayStore}).
 */
package dev.converge.repo.sealed.relay;
