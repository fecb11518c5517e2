package dev.converge.net.protocol;

import dev.converge.net.internal.ProtocolAccess;

/** The package-private members of {@link Bytes} and {@link MessageCodec}, for the module only. */
final class ProtocolAccessImpl extends ProtocolAccess {
  @Override
  protected Bytes wrapBytes(byte[] bytes) {
    return Bytes.wrap(bytes);
  }

  @Override
  protected byte[] arrayOf(Bytes bytes) {
    return bytes.unsafeArray();
  }

  @Override
  protected void checkOneCborItem(MessageCodec codec, Bytes data) {
    codec.requireOneCborItem(data);
  }
}
