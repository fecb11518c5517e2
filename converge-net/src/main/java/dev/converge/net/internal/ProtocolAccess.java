package dev.converge.net.internal;

import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.MessageCodec;
import org.jspecify.annotations.Nullable;

/**
 * The package-private members of the protocol's API types that the client and server sides use. The
 * protocol package is exported, so making them public would make them API: {@link Bytes} registers
 * the one implementation, from its own package, when it is initialized.
 */
public abstract class ProtocolAccess {
  private static volatile @Nullable ProtocolAccess registered;

  protected ProtocolAccess() {}

  /** Called once, by {@link Bytes} as it is initialized. */
  public static void register(ProtocolAccess access) {
    if (registered != null) {
      throw new IllegalStateException("protocol access registered twice");
    }
    registered = access;
  }

  /** Wraps {@code bytes} without copying: the caller hands them over and never changes them. */
  public static Bytes wrap(byte[] bytes) {
    return access().wrapBytes(bytes);
  }

  /** The bytes themselves, not a copy: the caller only reads them. */
  public static byte[] unsafeArray(Bytes bytes) {
    return access().arrayOf(bytes);
  }

  /**
   * Checks that {@code data} is exactly one well-formed CBOR item.
   *
   * @throws IllegalArgumentException if it is not
   */
  public static void requireOneCborItem(MessageCodec codec, Bytes data) {
    access().checkOneCborItem(codec, data);
  }

  protected abstract Bytes wrapBytes(byte[] bytes);

  protected abstract byte[] arrayOf(Bytes bytes);

  protected abstract void checkOneCborItem(MessageCodec codec, Bytes data);

  private static ProtocolAccess access() {
    ProtocolAccess access = registered;
    if (access == null) {
      // Nothing has initialized Bytes yet; initializing it registers the implementation.
      Bytes.of(new byte[0]);
      access = registered;
      if (access == null) {
        throw new IllegalStateException("Bytes did not register the protocol access");
      }
    }
    return access;
  }
}
