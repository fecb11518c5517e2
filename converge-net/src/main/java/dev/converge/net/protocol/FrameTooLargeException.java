package dev.converge.net.protocol;

import dev.converge.core.LimitExceededException;

/** A frame longer than {@link CodecLimits#frameBytesMax()}; it was not decoded. */
public final class FrameTooLargeException extends LimitExceededException {
  private final long frameBytes;
  private final int frameBytesMax;

  public FrameTooLargeException(long frameBytes, int frameBytesMax) {
    super("frame of " + frameBytes + " bytes exceeds the limit of " + frameBytesMax + " bytes");
    this.frameBytes = frameBytes;
    this.frameBytesMax = frameBytesMax;
  }

  public long frameBytes() {
    return frameBytes;
  }

  public int frameBytesMax() {
    return frameBytesMax;
  }
}
