package dev.converge.server.inspector;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.converge.core.ChangeHash;
import dev.converge.repo.DocHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sync server's panels as JSON: {@code /api/server} ({@code {"peers":[{"peerId","user",
 * "address","connectedAt","documents"}],"metrics":{"intervalMillis","times","series"}}}) and {@code
 * /api/doc/ID/peers} ({@code {"heads":[...],"peers":[{"peerId","heads","behind","ahead"}]}}).
 *
 * <p>How far behind a peer is: the number of the server's changes its heads have not seen ({@code
 * changesSince} of those of its heads the server knows); {@code ahead} counts its heads the server
 * does not have yet (changes on their way, or refused). One call of {@code changesSince} per peer:
 * its cost grows with the changes the peer lacks, not with the history.
 */
final class ServerJson {
  private ServerJson() {}

  static String server(ServerStatus status) {
    List<PeerStatus> peers = status.peers();
    MetricsSamples metrics = status.metrics();
    return Json.write(
        out -> {
          out.writeStartObject();
          out.writeArrayFieldStart("peers");
          for (PeerStatus peer : peers) {
            out.writeStartObject();
            out.writeStringField("peerId", peer.peerId());
            out.writeStringField("user", peer.user());
            out.writeStringField("address", peer.address());
            out.writeNumberField("connectedAt", peer.connectedAtMillis());
            out.writeNumberField("documents", peer.documents());
            out.writeEndObject();
          }
          out.writeEndArray();
          out.writeObjectFieldStart("metrics");
          out.writeNumberField("intervalMillis", metrics.intervalMillis());
          out.writeArrayFieldStart("times");
          for (long time : metrics.timesMillis()) {
            out.writeNumber(time);
          }
          out.writeEndArray();
          out.writeObjectFieldStart("series");
          for (Map.Entry<String, List<Double>> series : metrics.series().entrySet()) {
            out.writeArrayFieldStart(series.getKey());
            for (double value : series.getValue()) {
              out.writeNumber(value);
            }
            out.writeEndArray();
          }
          out.writeEndObject();
          out.writeEndObject();
          out.writeEndObject();
        });
  }

  static String documentPeers(DocHandle handle, ServerStatus status) {
    Map<String, List<ChangeHash>> peerHeads = status.peerHeads(handle.id());
    List<ChangeHash> heads = handle.heads();
    return Json.write(
        out -> {
          out.writeStartObject();
          writeHashes(out, "heads", heads);
          out.writeArrayFieldStart("peers");
          for (Map.Entry<String, List<ChangeHash>> peer : peerHeads.entrySet()) {
            List<ChangeHash> known = new ArrayList<>();
            int ahead = 0;
            for (ChangeHash head : peer.getValue()) {
              if (handle.readHistory(history -> history.changeIndex(head)).isPresent()) {
                known.add(head);
              } else {
                ahead++;
              }
            }
            out.writeStartObject();
            out.writeStringField("peerId", peer.getKey());
            writeHashes(out, "heads", peer.getValue());
            out.writeNumberField("behind", handle.changesSince(known).size());
            out.writeNumberField("ahead", ahead);
            out.writeEndObject();
          }
          out.writeEndArray();
          out.writeEndObject();
        });
  }

  private static void writeHashes(JsonGenerator out, String name, List<ChangeHash> hashes)
      throws IOException {
    out.writeArrayFieldStart(name);
    for (ChangeHash hash : hashes) {
      out.writeString(hash.toHex());
    }
    out.writeEndArray();
  }
}
