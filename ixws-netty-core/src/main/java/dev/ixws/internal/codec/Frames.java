package dev.ixws.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small pure helpers for frame sizes and payload buffers. */
public final class Frames {

  /** RFC 6455 section 5.5: control frame payloads are at most 125 bytes. */
  public static final int MAX_CONTROL_PAYLOAD = 125;

  /** A close reason is at most 123 bytes: 125 minus the two-byte code. */
  public static final int MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Frames() {}

  /**
   * Unmasks (or masks: XOR is its own inverse) {@code length} bytes of {@code bytes} from {@code
   * offset} in place, eight at a time (RFC 6455 section 5.3).
   *
   * @param mask the frame's masking key, big-endian as it is on the wire
   * @param frameOffset where {@code bytes[offset]} is in the frame's payload, which picks the key
   *     byte it is XORed with (payloads can arrive in pieces)
   */
  public static void unmask(byte[] bytes, int offset, int length, int mask, int frameOffset) {
    int key = Integer.rotateLeft(mask, 8 * (frameOffset & 3));
    // The key repeated over eight bytes, in the byte order of the little-endian long view (the
    // native order of x86 and ARM, so no byte swapping per long).
    long key8 = Long.reverseBytes((key & 0xFFFF_FFFFL) << 32 | (key & 0xFFFF_FFFFL));
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ key8);
    }
    for (int k = 0; i < end; i++, k++) {
      bytes[i] ^= (byte) (key >>> (24 - 8 * (k & 3)));
    }
  }

  /** The bytes a frame with {@code payloadLength} bytes of payload takes on the wire. */
  public static long wireSize(long payloadLength, boolean masked) {
    long header = 2;
    if (payloadLength > 65535) {
      header += 8;
    } else if (payloadLength > 125) {
      header += 2;
    }
    return header + (masked ? 4 : 0) + payloadLength;
  }

  /** {@code text} as UTF-8 in a new buffer. */
  public static ByteBuf utf8(ByteBufAllocator alloc, CharSequence text) {
    return ByteBufUtil.writeUtf8(alloc, text);
  }

  /** A copy of {@code data} (its remaining bytes; its position is not moved) in a new buffer. */
  public static ByteBuf copy(ByteBufAllocator alloc, ByteBuffer data) {
    ByteBuf buf = alloc.buffer(data.remaining());
    if (data.hasArray()) {
      // From the array: no duplicate of the source, no view of the target.
      buf.writeBytes(data.array(), data.arrayOffset() + data.position(), data.remaining());
    } else {
      buf.writeBytes(data.duplicate());
    }
    return buf;
  }

  /** A copy of {@code data} in a new buffer. */
  public static ByteBuf copy(ByteBufAllocator alloc, byte[] data) {
    ByteBuf buf = alloc.buffer(data.length);
    buf.writeBytes(data);
    return buf;
  }

  /**
   * The chars of {@code bytes} as bytes, one byte per char (ISO-8859-1): the binary form of a
   * string, as IXWebSocket treats a {@code std::string}.
   *
   * @throws IllegalArgumentException if a char is above U+00FF
   */
  public static ByteBuf latin1(ByteBufAllocator alloc, String bytes) {
    requireLatin1(bytes);
    ByteBuf buf = alloc.buffer(bytes.length());
    ByteBufUtil.writeAscii(buf, bytes);
    return buf;
  }

  /**
   * Checks that every char of {@code bytes} is a byte (at most U+00FF).
   *
   * @throws IllegalArgumentException naming the first char that is not
   */
  public static void requireLatin1(String bytes) {
    int n = bytes.length();
    for (int i = 0; i < n; i++) {
      if (bytes.charAt(i) > 0xFF) {
        throw new IllegalArgumentException(
            "a binary string holds one byte per char (ISO-8859-1), but char "
                + i
                + " is U+"
                + Integer.toHexString(bytes.charAt(i)).toUpperCase(java.util.Locale.ROOT)
                + "; send text, or send the string's bytes (e.g. getBytes(UTF_8)) as byte[]");
      }
    }
  }

  /** {@code reason} cut to at most 123 UTF-8 bytes without splitting a character. */
  public static String truncateCloseReason(String reason) {
    byte[] utf8 = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (utf8.length <= MAX_CLOSE_REASON_BYTES) {
      return reason;
    }
    int end = MAX_CLOSE_REASON_BYTES;
    // Back up to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(utf8, 0, end, java.nio.charset.StandardCharsets.UTF_8);
  }
}
