package dev.ixws.internal;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Reassembles the payload of a fragmented message (RFC 6455 section 5.4) and enforces the maximum
 * message size as each frame arrives, not after the whole message is buffered.
 *
 * <p>Event-loop confined. Frame payloads are copied out at once, so no Netty buffer is held between
 * frames and nothing can leak when a connection dies mid-message.
 */
final class MessageAssembler {

  private final int maxMessageSize;
  private byte[] buffer = new byte[0];
  private int length;
  private boolean binary;
  private long wireSize;

  MessageAssembler(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
  }

  /** Whether the message being assembled is binary. */
  boolean binary() {
    return binary;
  }

  /** Whether adding {@code frameBytes} more bytes would exceed the maximum message size. */
  boolean wouldExceed(int frameBytes) {
    return (long) length + frameBytes > maxMessageSize;
  }

  /** Starts a message with its first (non-final) frame. */
  void start(boolean isBinary, ByteBuf payload, long frameWireSize) {
    binary = isBinary;
    length = 0;
    wireSize = 0;
    append(payload, frameWireSize);
  }

  /** Adds a frame's payload; the caller checked {@link #wouldExceed} first. */
  void append(ByteBuf payload, long frameWireSize) {
    int n = payload.readableBytes();
    if (length + n > buffer.length) {
      int grown = (int) Math.min(maxMessageSize, Math.max((long) buffer.length * 2, length + n));
      buffer = Arrays.copyOf(buffer, Math.max(grown, length + n));
    }
    payload.getBytes(payload.readerIndex(), buffer, length, n);
    length += n;
    wireSize += frameWireSize;
  }

  /** The wire size of the frames so far. */
  long wireSize() {
    return wireSize;
  }

  /** The whole payload, and resets for the next message. */
  byte[] finish() {
    byte[] message = buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
    reset();
    return message;
  }

  /** Drops any partial message. */
  void reset() {
    buffer = new byte[0];
    length = 0;
    wireSize = 0;
  }
}
