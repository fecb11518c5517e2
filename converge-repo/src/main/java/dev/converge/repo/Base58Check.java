package dev.converge.repo;

import dev.converge.core.CorruptDataException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Bitcoin's base58check, as automerge-repo names documents and heads: the payload followed by the
 * first four bytes of SHA-256(SHA-256(payload)), written in the base58 alphabet, each leading zero
 * byte as a leading '1'. Public for the sealed documents' keys and links, which are written the
 * same way.
 */
public final class Base58Check {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);
  private static final int CHECKSUM_BYTES = 4;

  /** Longer strings are refused before decoding: no ID or head comes close. */
  public static final int TEXT_LENGTH_MAX = 128;

  private Base58Check() {}

  /** {@code payload} and its checksum in base58. */
  public static String encode(byte[] payload) {
    byte[] checksum = checksum(payload);
    byte[] data = Arrays.copyOf(payload, payload.length + CHECKSUM_BYTES);
    System.arraycopy(checksum, 0, data, payload.length, CHECKSUM_BYTES);
    return encodePlain(data);
  }

  /**
   * The payload of {@code text}.
   *
   * @throws CorruptDataException if {@code text} is not base58 or its checksum does not match
   */
  public static byte[] decode(String text) {
    if (text.isEmpty() || text.length() > TEXT_LENGTH_MAX) {
      throw new CorruptDataException(
          "not a base58check string: length " + text.length() + ", expected 1.." + TEXT_LENGTH_MAX);
    }
    byte[] data = decodePlain(text);
    if (data.length < CHECKSUM_BYTES) {
      throw new CorruptDataException("base58check string too short: '" + text + "'");
    }
    byte[] payload = Arrays.copyOf(data, data.length - CHECKSUM_BYTES);
    byte[] expected = checksum(payload);
    if (!Arrays.equals(
        expected, 0, CHECKSUM_BYTES, data, payload.length, payload.length + CHECKSUM_BYTES)) {
      throw new CorruptDataException("base58check checksum mismatch in '" + text + "'");
    }
    return payload;
  }

  private static String encodePlain(byte[] data) {
    StringBuilder out = new StringBuilder();
    BigInteger value = new BigInteger(1, data);
    while (value.signum() > 0) {
      BigInteger[] quotientAndRemainder = value.divideAndRemainder(BASE);
      out.append(ALPHABET.charAt(quotientAndRemainder[1].intValue()));
      value = quotientAndRemainder[0];
    }
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      out.append(ALPHABET.charAt(0));
    }
    return out.reverse().toString();
  }

  private static byte[] decodePlain(String text) {
    BigInteger value = BigInteger.ZERO;
    int leadingZeros = 0;
    boolean inLeadingOnes = true;
    for (int i = 0; i < text.length(); i++) {
      int digit = ALPHABET.indexOf(text.charAt(i));
      if (digit < 0) {
        throw new CorruptDataException(
            "not a base58 character at index " + i + " of '" + text + "'");
      }
      if (inLeadingOnes && digit == 0) {
        leadingZeros++;
      } else {
        inLeadingOnes = false;
      }
      value = value.multiply(BASE).add(BigInteger.valueOf(digit));
    }
    byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
    int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
    byte[] out = new byte[leadingZeros + magnitude.length - skip];
    System.arraycopy(magnitude, skip, out, leadingZeros, magnitude.length - skip);
    return out;
  }

  private static byte[] checksum(byte[] payload) {
    MessageDigest sha256 = sha256();
    return sha256.digest(sha256.digest(payload));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
