package dev.converge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The simulated network on its own: what each fault of a {@link FaultProfile} does to the messages
 * sent, and that it stops doing it once faults stop.
 *
 * <p>How: profiles with one fault at 0 % or 100 %, a seeded PRNG, and messages whose sequence
 * number says which was sent when; each test sends, then delivers until the network is idle.
 */
class SimNetworkTest {
  private static FaultProfile profile(int dropPercent, int duplicatePercent, int delayMaxMillis) {
    return new FaultProfile(dropPercent, duplicatePercent, delayMaxMillis, 0, 0, 0, 0, true, 0, 0);
  }

  private final SimClock clock = new SimClock();
  private final SimStats stats = new SimStats();

  private SimNetwork network(FaultProfile profile) {
    return new SimNetwork(new SplittableRandom(1), profile, clock, stats);
  }

  private static void sendFive(SimNetwork network) {
    for (long seq = 0; seq < 5; seq++) {
      network.send(7, 0, 1, seq, new byte[] {(byte) seq});
    }
  }

  /** Sequence numbers of every message delivered, until the network is idle. */
  private static List<Long> deliverAll(SimNetwork network) {
    List<Long> delivered = new ArrayList<>();
    while (!network.isIdle()) {
      network.deliver().ifPresent(envelope -> delivered.add(envelope.seq));
    }
    return delivered;
  }

  @Test
  void deliver_faultsStopped_everyMessageOnceInOrderAfterOneMillisecond() {
    SimNetwork network = network(profile(100, 100, 60_000));
    network.stopFaults();
    sendFive(network);
    long sentAt = clock.nowMillis();
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), deliverAll(network));
    assertEquals(sentAt + 1, clock.nowMillis());
    assertEquals(0, stats.messagesDropped + stats.messagesDuplicated);
  }

  @Test
  void send_dropEverything_nothingInFlight() {
    SimNetwork network = network(profile(100, 0, 0));
    sendFive(network);
    assertTrue(network.isIdle());
    assertEquals(5, stats.messagesDropped);
  }

  @Test
  void send_duplicateEverything_eachArrivesTwice() {
    SimNetwork network = network(profile(0, 100, 0));
    sendFive(network);
    List<Long> delivered = deliverAll(network);
    assertEquals(10, delivered.size());
    for (long seq = 0; seq < 5; seq++) {
      long copies = seq;
      assertEquals(2, delivered.stream().filter(s -> s == copies).count());
    }
    assertEquals(5, stats.messagesDuplicated);
  }

  /** Delays reorder: a message never arrives before it is due, and time moves to when it is. */
  @Test
  void deliver_withDelays_neverBeforeDue_andTimeMovesToTheDueTime() {
    SimNetwork network = network(profile(0, 0, 60_000));
    for (long seq = 0; seq < 50; seq++) {
      network.send(7, 0, 1, seq, new byte[0]);
    }
    List<Long> delivered = new ArrayList<>();
    while (!network.isIdle()) {
      long before = clock.nowMillis();
      Optional<SimNetwork.Envelope> envelope = network.deliver();
      assertTrue(envelope.isPresent());
      assertTrue(envelope.get().deliverAtMillis <= clock.nowMillis());
      assertTrue(clock.nowMillis() >= before);
      delivered.add(envelope.get().seq);
    }
    assertEquals(50, delivered.size());
    assertTrue(!delivered.equals(delivered.stream().sorted().toList()), "never reordered");
  }

  @Test
  void deliver_acrossAPartition_lost_untilItHealsAtItsStep() {
    SimNetwork network = network(profile(0, 0, 0));
    network.partition(new boolean[] {true, false, true}, 10);
    assertTrue(network.partitioned(0, 1));
    assertTrue(!network.partitioned(0, 2));
    sendFive(network);
    network.send(7, 0, 2, 5, new byte[0]);
    assertEquals(List.of(5L), deliverAll(network));
    assertEquals(5, stats.messagesDropped);

    network.healIfDue(9);
    assertTrue(network.isPartitioned());
    network.healIfDue(10);
    assertTrue(!network.isPartitioned());
    sendFive(network);
    // Faults are still on: the five arrive, in a random order among those due.
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), deliverAll(network).stream().sorted().toList());
  }
}
