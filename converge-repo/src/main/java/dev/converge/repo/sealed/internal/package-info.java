/**
 * What the device's sealed store and the relay's store share: one SQLite file in WAL mode with
 * {@code synchronous=FULL}, its schema version checked on open, and work run as one transaction.
 * Not exported from the module: no API.
 */
package dev.converge.repo.sealed.internal;
