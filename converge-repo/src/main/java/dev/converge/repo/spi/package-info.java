/**
 * The storage SPI of a repository: an append-only change log with a global offset (the source of
 * truth), snapshots that cache a document's state at an offset, and durable offsets for named
 * consumers of the log. {@link dev.converge.repo.spi.Storage} is the interface an implementation
 * provides; the default is SQLite ({@code dev.converge.repo.sqlite}), and an in-memory one serves
 * tests ({@code dev.converge.repo.memory}).
 *
 * <p>Every change read back is checked against its hash ({@link
 * dev.converge.repo.spi.ChangeBytes#verify}) before it reaches a caller: the store must never serve
 * bytes that do not hash to the change's name, because an underlying file system or SQLite may
 * return altered data without noticing.
 */
@NullMarked
package dev.converge.repo.spi;

import org.jspecify.annotations.NullMarked;
