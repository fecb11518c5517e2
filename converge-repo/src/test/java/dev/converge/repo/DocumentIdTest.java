package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Document IDs and URLs (base58check of 16 random bytes, prefixed {@code automerge:}) against
 * values made by automerge-repo and Bitcoin's base58check test vector.
 */
class DocumentIdTest {
  @Test
  void parse_automergeRepoId_givesUuidV4Bytes() {
    DocumentId id = DocumentId.parse("2gPEzaT71LC5eGyYVyxKYCRaJd16");
    assertEquals("7884bcc28a7d4a59a9358afcb5633cd6", id.toHex());
    assertEquals("2gPEzaT71LC5eGyYVyxKYCRaJd16", id.toString());
  }

  @Test
  void encode_bitcoinVector_matches() {
    byte[] payload = HexFormat.of().parseHex("00f54a5851e9372b87810a8e60cdd2e7cfd80b6e31");
    assertEquals("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs", Base58Check.encode(payload));
    assertEquals(
        HexFormat.of().formatHex(payload),
        HexFormat.of().formatHex(Base58Check.decode("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs")));
  }

  @Test
  void parse_badChecksum_throwsCorruptData() {
    assertThrows(
        CorruptDataException.class, () -> DocumentId.parse("2gPEzaT71LC5eGyYVyxKYCRaJd17"));
    assertThrows(CorruptDataException.class, () -> DocumentId.parse("0OIl"));
    assertThrows(CorruptDataException.class, () -> DocumentId.parse(""));
  }

  @Test
  void random_isVersion4AndRoundTrips() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200; i++) {
      DocumentId id = DocumentId.random(random);
      byte[] bytes = id.toBytes();
      assertEquals(0x40, bytes[6] & 0xf0);
      assertEquals(0x80, bytes[8] & 0xc0);
      assertEquals(id, DocumentId.parse(id.toString()));
    }
  }

  @Test
  void parse_legacyUuid_convertsToBytes() {
    DocumentId id = DocumentId.parse("7884bcc2-8a7d-4a59-a935-8afcb5633cd6");
    assertEquals("2gPEzaT71LC5eGyYVyxKYCRaJd16", id.toString());
  }

  @Test
  void url_withHeads_roundTripsAndJoinsWithBar() {
    ChangeHash a = ChangeHash.fromHex("00".repeat(31) + "01");
    ChangeHash b = ChangeHash.fromHex("ff".repeat(32));
    AutomergeUrl url =
        new AutomergeUrl(DocumentId.parse("2gPEzaT71LC5eGyYVyxKYCRaJd16"), List.of(a, b));
    String text = url.toString();
    assertEquals(
        "automerge:2gPEzaT71LC5eGyYVyxKYCRaJd16#"
            + Base58Check.encode(a.toBytes())
            + "|"
            + Base58Check.encode(b.toBytes()),
        text);
    assertEquals(url, AutomergeUrl.parse(text));
    assertEquals(
        AutomergeUrl.of(url.documentId()),
        AutomergeUrl.parse("automerge:2gPEzaT71LC5eGyYVyxKYCRaJd16"));
  }

  @Test
  void parseUrl_badInput_throwsCorruptData() {
    assertThrows(CorruptDataException.class, () -> AutomergeUrl.parse("automerge:2gP-EzaT"));
    assertThrows(
        CorruptDataException.class,
        () -> AutomergeUrl.parse("automerge:2gPEzaT71LC5eGyYVyxKYCRaJd16#"));
    assertThrows(
        CorruptDataException.class,
        () ->
            AutomergeUrl.parse(
                "automerge:2gPEzaT71LC5eGyYVyxKYCRaJd16#2gPEzaT71LC5eGyYVyxKYCRaJd16"));
  }
}
