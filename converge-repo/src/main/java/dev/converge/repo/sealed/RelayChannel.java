package dev.converge.repo.sealed;

/**
 * A way to ask a relay: one request, one answer. A network client carries the encoded messages over
 * its connection; a relay in the same process answers directly.
 */
@FunctionalInterface
public interface RelayChannel {
  /**
   * Sends {@code request} and waits for the relay's answer.
   *
   * @throws dev.converge.core.ConvergeException of kind IO if the relay cannot be reached or does
   *     not answer in time, or CORRUPT_DATA if its answer is not a relay message
   */
  RelayMessage exchange(RelayMessage request);
}
