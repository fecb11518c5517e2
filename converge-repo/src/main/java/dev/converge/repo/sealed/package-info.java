/**
 * Sealed documents: end-to-end encrypted documents that travel through an untrusted relay as
 * signed, encrypted envelopes. The formats and the protocol are specified, with the threat model,
 * in {@code docs/sealed.md}.
 *
 * <p>The flow on a device: {@link dev.converge.repo.sealed.SealedRepo} keeps the device's key pair
 * and, per sealed document, its {@link dev.converge.repo.sealed.MemberLog}, the epoch keys the
 * device can read, and the envelopes it wrote; a sync with a relay ({@link
 * dev.converge.repo.sealed.RelayChannel}) brings the member log up to date, opens the relay's new
 * envelopes (each checked: envelope ID, signature, membership in its epoch, sequence, tag,
 * Automerge content) into the document as ordinary changes, and seals the changes no envelope
 * covers yet.
 */
@NullMarked
package dev.converge.repo.sealed;

import org.jspecify.annotations.NullMarked;
