/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one process, on 127.0.0.1) for
 * development and tests, never for production: {@link dev.converge.broker.BrokerMain} runs it in a
 * JVM of its own ({@code converge broker}), keeping its topics and records in a data directory
 * across restarts, and {@link dev.converge.broker.BrokerProcess} starts that JVM as a child process
 * and waits until the broker serves clients, as the cluster tests do.
 */
@NullMarked
package dev.converge.broker;

import org.jspecify.annotations.NullMarked;
