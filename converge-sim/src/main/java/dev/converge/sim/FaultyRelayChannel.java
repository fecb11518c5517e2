package dev.converge.sim;

import dev.converge.core.ConvergeException;
import dev.converge.repo.sealed.ByteString;
import dev.converge.repo.sealed.RelayChannel;
import dev.converge.repo.sealed.RelayMessage;
import dev.converge.repo.sealed.RelayMessageCodec;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.relay.Relay;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One device's connection to the relay in the sealed simulation, with the network's faults. Every
 * request and answer goes through the relay's wire codec. Faults, each drawn from the run's PRNG:
 * the device is cut off (a partition: every exchange fails), a request is lost before the relay
 * sees it, an answer is lost after the relay acted on it, the envelopes of a push or an offer are
 * reordered or duplicated, and a bit of one envelope flips in transit (either way). A lost message
 * is a {@link ConvergeException} of kind IO, as a real channel's timeout is.
 *
 * <p>What the system under test must do: refuse every damaged, reordered or repeated envelope with
 * a typed error, apply nothing of it, and get it again in order at a later sync.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class FaultyRelayChannel implements RelayChannel {
  private final Supplier<Relay> relay;
  private final SplittableRandom random;
  private final SealedFaults faults;
  private final SealedSimStats stats;
  private boolean partitioned;

  FaultyRelayChannel(
      Supplier<Relay> relay, SplittableRandom random, SealedFaults faults, SealedSimStats stats) {
    this.relay = relay;
    this.random = random;
    this.faults = faults;
    this.stats = stats;
  }

  void partition(boolean cutOff) {
    this.partitioned = cutOff;
  }

  boolean partitioned() {
    return partitioned;
  }

  @Override
  public RelayMessage exchange(RelayMessage request) {
    stats.exchanges++;
    if (partitioned && faults.active()) {
      stats.partitionedExchanges++;
      throw lost("the device is cut off from the relay");
    }
    if (faults.roll(random, faults.dropPercent())) {
      stats.requestsDropped++;
      throw lost("the request was lost");
    }
    byte[] answer = relay.get().handle(RelayMessageCodec.encode(damage(request)));
    if (faults.roll(random, faults.dropPercent())) {
      stats.answersDropped++;
      throw lost("the answer was lost");
    }
    RelayMessage decoded = RelayMessageCodec.decode(answer, SealedLimits.DEFAULT);
    return damage(decoded);
  }

  private static ConvergeException lost(String why) {
    return new ConvergeException(ConvergeException.Kind.IO, "simulated network: " + why);
  }

  /** The message with its envelopes reordered, duplicated or bit-flipped, as the faults draw. */
  private RelayMessage damage(RelayMessage message) {
    if (message instanceof RelayMessage.Push push && !push.envelopes().isEmpty()) {
      List<ByteString> envelopes = damage(push.envelopes());
      return envelopes == push.envelopes()
          ? push
          : new RelayMessage.Push(push.documentId(), push.ops(), envelopes);
    }
    if (message instanceof RelayMessage.Offer offer && !offer.envelopes().isEmpty()) {
      List<ByteString> envelopes = damage(offer.envelopes());
      return envelopes == offer.envelopes()
          ? offer
          : new RelayMessage.Offer(
              offer.documentId(),
              offer.known(),
              offer.opsFrom(),
              offer.ops(),
              offer.vector(),
              envelopes,
              offer.more());
    }
    return message;
  }

  private List<ByteString> damage(List<ByteString> envelopes) {
    List<ByteString> out = new ArrayList<>(envelopes);
    boolean changed = false;
    if (out.size() > 1 && faults.roll(random, faults.reorderPercent())) {
      int a = random.nextInt(out.size());
      int b = random.nextInt(out.size());
      ByteString first = out.get(a);
      out.set(a, out.get(b));
      out.set(b, first);
      stats.envelopesReordered++;
      changed = true;
    }
    if (faults.roll(random, faults.duplicatePercent())) {
      out.add(random.nextInt(out.size() + 1), out.get(random.nextInt(out.size())));
      stats.envelopesDuplicated++;
      changed = true;
    }
    if (faults.roll(random, faults.bitFlipPercent())) {
      int index = random.nextInt(out.size());
      byte[] bytes = out.get(index).toArray();
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
      out.set(index, ByteString.of(bytes));
      stats.envelopeBitsFlipped++;
      changed = true;
    }
    return changed ? out : envelopes;
  }
}
