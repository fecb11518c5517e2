/**
 * The embedded database: a {@code Repo} of documents kept in a change log. Every exported package
 * is API: {@code dev.converge.repo} for applications, {@code dev.converge.repo.spi} for storage
 * implementations, the two storages ({@code dev.converge.repo.sqlite}, the default, and {@code
 * dev.converge.repo.memory}, for tests), and sealed documents and their relay. {@code
 * dev.converge.repo.sealed.internal} is not exported.
 */
module dev.converge.repo {
  requires transitive dev.converge.core;
  requires transitive java.sql;
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.xerial.sqlitejdbc;
  requires static transitive org.jspecify;

  exports dev.converge.repo;
  exports dev.converge.repo.spi;
  exports dev.converge.repo.sqlite;
  exports dev.converge.repo.memory;
  exports dev.converge.repo.sealed;
  exports dev.converge.repo.sealed.relay;
}
