package dev.ixws.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes a whole, final, uncompressed data frame (RFC 6455 section 5.2) into one new buffer:
 * header and payload together, masked with a fresh random key when a client sends it (section 5.3).
 * The session writes these buffers itself, so a data message costs one pooled buffer and no frame
 * object, payload wrapper or {@code ByteBuffer} view (Netty's encoder needs all three, and its
 * masking runs four bytes at a time through the {@code ByteBuf} API).
 *
 * <p>The payload is copied into the buffer exactly once, so the buffer is the only memory the frame
 * needs once this returns: the source may change afterwards. Masking runs on the bytes in a
 * per-thread scratch array, eight bytes at a time ({@link Frames#unmask}), before they are copied
 * into the buffer. Compressed messages, control frames and close frames still go through Netty's
 * encoder as frame objects. Safe from any thread.
 */
public final class FrameWriter {

  /** The opcode of a text frame. */
  public static final int OP_TEXT = 1;

  /** The opcode of a binary frame. */
  public static final int OP_BINARY = 2;

  private static final int FIN = 0x80;
  private static final int MASK_BIT = 0x80;
  // The bytes masked and copied in one go: small enough to stay in the CPU cache.
  private static final int CHUNK = 16 * 1024;
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK]);

  private FrameWriter() {}

  /** A final binary or text frame whose payload is {@code length} bytes of {@code bytes}. */
  public static ByteBuf frame(
      ByteBufAllocator alloc, boolean binary, byte[] bytes, int offset, int length, boolean mask) {
    int key = mask ? newMaskKey() : 0;
    ByteBuf buf = header(alloc, binary ? OP_BINARY : OP_TEXT, length, mask, key);
    if (!mask) {
      buf.writeBytes(bytes, offset, length);
      return buf;
    }
    byte[] scratch = SCRATCH.get();
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK, length - done);
      System.arraycopy(bytes, offset + done, scratch, 0, n);
      Frames.unmask(scratch, 0, n, key, done);
      buf.writeBytes(scratch, 0, n);
      done += n;
    }
    return buf;
  }

  /**
   * A final binary frame whose payload is the remaining bytes of {@code data} (its position does
   * not move).
   */
  public static ByteBuf frame(ByteBufAllocator alloc, ByteBuffer data, boolean mask) {
    int length = data.remaining();
    int position = data.position();
    if (data.hasArray()) {
      return frame(alloc, true, data.array(), data.arrayOffset() + position, length, mask);
    }
    // Read-only or direct: copied through the scratch array, which keeps the copy into the
    // pooled buffer a plain array copy (a ByteBuffer source would make the buffer allocate a
    // view of itself).
    int key = mask ? newMaskKey() : 0;
    ByteBuf buf = header(alloc, OP_BINARY, length, mask, key);
    byte[] scratch = SCRATCH.get();
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK, length - done);
      data.get(position + done, scratch, 0, n);
      if (mask) {
        Frames.unmask(scratch, 0, n, key, done);
      }
      buf.writeBytes(scratch, 0, n);
      done += n;
    }
    return buf;
  }

  /**
   * A final binary or text frame whose payload is the readable bytes of {@code payload} (not
   * released, its indexes not moved).
   */
  public static ByteBuf frame(
      ByteBufAllocator alloc, boolean binary, ByteBuf payload, boolean mask) {
    int length = payload.readableBytes();
    int start = payload.readerIndex();
    int key = mask ? newMaskKey() : 0;
    ByteBuf buf = header(alloc, binary ? OP_BINARY : OP_TEXT, length, mask, key);
    byte[] scratch = SCRATCH.get();
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK, length - done);
      payload.getBytes(start + done, scratch, 0, n);
      if (mask) {
        Frames.unmask(scratch, 0, n, key, done);
      }
      buf.writeBytes(scratch, 0, n);
      done += n;
    }
    return buf;
  }

  /**
   * A final text frame: {@code text} as UTF-8 (unpaired surrogates become '?', as the JDK does).
   */
  public static ByteBuf text(ByteBufAllocator alloc, CharSequence text, boolean mask) {
    int length = ByteBufUtil.utf8Bytes(text);
    int key = mask ? newMaskKey() : 0;
    ByteBuf buf = header(alloc, OP_TEXT, length, mask, key);
    int start = buf.writerIndex();
    ByteBufUtil.reserveAndWriteUtf8(buf, text, length);
    if (mask) {
      maskInPlace(buf, start, length, key);
    }
    return buf;
  }

  /**
   * A final binary frame whose bytes are the chars of {@code bytes}, one byte per char
   * (ISO-8859-1).
   *
   * @throws IllegalArgumentException if a char is above U+00FF (nothing is allocated then)
   */
  public static ByteBuf latin1(ByteBufAllocator alloc, String bytes, boolean mask) {
    Frames.requireLatin1(bytes);
    int length = bytes.length();
    int key = mask ? newMaskKey() : 0;
    ByteBuf buf = header(alloc, OP_BINARY, length, mask, key);
    int start = buf.writerIndex();
    ByteBufUtil.writeAscii(buf, bytes);
    if (mask) {
      maskInPlace(buf, start, length, key);
    }
    return buf;
  }

  /** The frame header, in a new buffer with room for the payload after it. */
  private static ByteBuf header(
      ByteBufAllocator alloc, int opcode, int length, boolean mask, int key) {
    int headerLength = (int) (Frames.wireSize(length, mask) - length);
    ByteBuf buf = alloc.buffer(headerLength + length);
    int maskBit = mask ? MASK_BIT : 0;
    buf.writeByte(FIN | opcode);
    if (length <= Frames.MAX_CONTROL_PAYLOAD) {
      buf.writeByte(maskBit | length);
    } else if (length <= 0xFFFF) {
      buf.writeByte(maskBit | 126);
      buf.writeShort(length);
    } else {
      buf.writeByte(maskBit | 127);
      buf.writeLong(length);
    }
    if (mask) {
      buf.writeInt(key);
    }
    return buf;
  }

  /** Masks {@code length} bytes of {@code buf} from {@code index} in place, through the scratch. */
  private static void maskInPlace(ByteBuf buf, int index, int length, int key) {
    byte[] scratch = SCRATCH.get();
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK, length - done);
      buf.getBytes(index + done, scratch, 0, n);
      Frames.unmask(scratch, 0, n, key, done);
      buf.setBytes(index + done, scratch, 0, n);
      done += n;
    }
  }

  /**
   * A masking key for one frame. RFC 6455 section 5.3 asks for keys a script cannot predict; as in
   * Netty's encoder, they come from {@link ThreadLocalRandom}, since the key protects
   * intermediaries from crafted byte patterns, not the payload from readers.
   */
  private static int newMaskKey() {
    return ThreadLocalRandom.current().nextInt();
  }
}
