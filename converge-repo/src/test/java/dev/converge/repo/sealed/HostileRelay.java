package dev.converge.repo.sealed;

import dev.converge.repo.sealed.RelayMessage.Offer;
import dev.converge.repo.sealed.relay.Relay;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A relay that alters what it offers: a test's function rewrites the list of all the document's
 * envelopes at the relay (not only those the device lacks), and the result is offered instead;
 * everything else is the real relay's answer.
 */
final class HostileRelay implements RelayChannel {
  private final RelayChannel honest;
  private final UnaryOperator<List<ByteString>> rewrite;

  HostileRelay(Relay relay, UnaryOperator<List<ByteString>> rewrite) {
    this.honest = Device.channel(relay);
    this.rewrite = rewrite;
  }

  @Override
  public RelayMessage exchange(RelayMessage request) {
    RelayMessage answer = honest.exchange(request);
    if (answer instanceof Offer offer) {
      Offer all =
          (Offer)
              honest.exchange(
                  new RelayMessage.Have(
                      offer.documentId(), 0, ByteString.of(new byte[32]), VersionVector.EMPTY));
      return new Offer(
          offer.documentId(),
          offer.known(),
          offer.opsFrom(),
          offer.ops(),
          offer.vector(),
          rewrite.apply(new ArrayList<>(all.envelopes())),
          offer.more());
    }
    return answer;
  }

  /** The offered envelopes numbered at most {@code seqMax}. */
  static UnaryOperator<List<ByteString>> upTo(long seqMax) {
    return list ->
        list.stream()
            .filter(bytes -> Envelope.decode(bytes.toArray(), SealedLimits.DEFAULT).seq() <= seqMax)
            .toList();
  }

  /** The offered envelopes numbered above {@code seqMin}, with {@code change} applied to each. */
  static UnaryOperator<List<ByteString>> after(long seqMin, UnaryOperator<byte[]> change) {
    return list ->
        list.stream()
            .filter(bytes -> Envelope.decode(bytes.toArray(), SealedLimits.DEFAULT).seq() > seqMin)
            .map(bytes -> ByteString.wrap(change.apply(bytes.toArray())))
            .toList();
  }
}
