package dev.ixws.http.internal;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Collects a response body into one array, grown by doubling; event loop only. */
final class BodyBuffer {

  // Presize from Content-Length up to this much; beyond it the array grows as bytes arrive, so a
  // lying Content-Length costs no memory.
  private static final int MAX_PRESIZE = 1 << 20;

  private byte[] bytes;
  private int length;

  BodyBuffer(long expectedLength) {
    bytes = new byte[(int) Math.max(0, Math.min(expectedLength, MAX_PRESIZE))];
  }

  void append(ByteBuf data) {
    int n = data.readableBytes();
    if (length + n > bytes.length) {
      int capacity = Math.max(length + n, Math.max(256, bytes.length * 2));
      if (capacity < 0) {
        capacity = Integer.MAX_VALUE - 8;
      }
      bytes = Arrays.copyOf(bytes, capacity);
    }
    data.getBytes(data.readerIndex(), bytes, length, n);
    length += n;
  }

  int length() {
    return length;
  }

  /** The body; the buffer must not be used afterwards. */
  byte[] toArray() {
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }
}
