package dev.ixws.internal.deflate;

import dev.ixws.PerMessageDeflateOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses one end's outgoing messages (RFC 7692 section 7.2.1): raw deflate of the whole
 * payload, flushed with {@code Z_SYNC_FLUSH}, the trailing {@code 00 00 FF FF} removed.
 *
 * <p>Two engines: the JDK's {@link Deflater} (native zlib, the fast path) for 15-bit windows at
 * memory level 8, and JZlib for smaller windows and other memory levels, which the JDK cannot set.
 * A window of 8 bits cannot be made by zlib (it silently widens it to 9, which a peer with a 256-
 * byte window cannot inflate), so an end limited to 8 bits sends its messages uncompressed, as RFC
 * 7692 lets any message be.
 *
 * <p>Memory: the compressor is created with the first compressed message, not before, so an idle
 * connection holds none. With context takeover it lives as long as the connection (its window is
 * the context) and {@link #end()} frees it. Without context takeover nothing is kept between
 * messages: the JDK engine borrows a compressor kept per thread and resets it, so thousands of such
 * connections share a few.
 *
 * <p>Not thread-safe: the session calls it under its own lock, in the order the messages go out.
 */
public final class MessageDeflater {

  private static final int TAIL = 0x0000FFFF;
  private static final byte[] NO_BYTES = new byte[0];
  private static final int LEVELS = 11; // -1 to 9
  private static final ThreadLocal<Deflater[]> SHARED =
      ThreadLocal.withInitial(() -> new Deflater[LEVELS]);

  private final int threshold;
  private final int level;
  private final int memoryLevel;
  private final int windowBits;
  private final boolean noContextTakeover;
  private final boolean jdk;
  private Deflater own; // JDK engine, context takeover
  private com.jcraft.jzlib.Deflater ownJzlib; // JZlib engine, context takeover
  private boolean ended;

  /**
   * The compressor of the end that is the {@code client} (or the server) of a connection with
   * {@code parameters}, compressing as {@code options} say.
   */
  public MessageDeflater(
      DeflateParameters parameters, PerMessageDeflateOptions options, boolean client) {
    this.threshold = options.compressionThreshold();
    this.level = options.compressionLevel();
    this.memoryLevel = options.memoryLevel();
    this.windowBits = parameters.windowBits(client);
    this.noContextTakeover = parameters.noContextTakeover(client);
    this.jdk = windowBits == 15 && memoryLevel == PerMessageDeflateOptions.DEFAULT_MEMORY_LEVEL;
  }

  /** Whether this compressor keeps context between messages (so their order matters). */
  public boolean contextTakeover() {
    return !noContextTakeover;
  }

  /** Whether a compressor is held now (for tests of the lazy allocation and of {@link #end()}). */
  boolean holdsCompressor() {
    return own != null || ownJzlib != null;
  }

  /**
   * The compressed form of {@code payload}'s readable bytes, in a new buffer, or null when the
   * message goes uncompressed (shorter than the threshold, an 8-bit window, or after {@link
   * #end()}). {@code payload} is neither released nor moved.
   */
  public ByteBuf compress(ByteBufAllocator alloc, ByteBuf payload) {
    int length = payload.readableBytes();
    if (ended || length < threshold || windowBits < 9) {
      return null;
    }
    if (length == 0) {
      // An empty stored block (RFC 7692 section 7.2.3.6). zlib itself would give nothing here
      // right after a previous message's flush (a flush without input makes no progress).
      return Unpooled.wrappedBuffer(new byte[] {0});
    }
    return jdk ? compressJdk(alloc, payload, length) : compressJzlib(payload, length);
  }

  private ByteBuf compressJdk(ByteBufAllocator alloc, ByteBuf payload, int length) {
    Deflater deflater = noContextTakeover ? borrow() : ownJdk();
    ByteBuf out = alloc.buffer(bound(length));
    try {
      deflater.setInput(payload.nioBuffer(payload.readerIndex(), length));
      while (true) {
        ByteBuffer space = out.nioBuffer(out.writerIndex(), out.writableBytes());
        int written = deflater.deflate(space, Deflater.SYNC_FLUSH);
        out.writerIndex(out.writerIndex() + written);
        if (out.isWritable()) {
          break; // the flush completed with room to spare: all input is in
        }
        out.ensureWritable(Math.max(256, out.capacity() >> 1));
      }
      deflater.setInput(NO_BYTES);
      stripTail(out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    } finally {
      if (noContextTakeover) {
        deflater.reset();
      }
    }
  }

  private ByteBuf compressJzlib(ByteBuf payload, int length) {
    com.jcraft.jzlib.Deflater deflater = noContextTakeover ? newJzlib() : ownJzlib();
    byte[] input;
    int inputOffset;
    if (payload.hasArray()) {
      input = payload.array();
      inputOffset = payload.arrayOffset() + payload.readerIndex();
    } else {
      input = ByteBufUtil.getBytes(payload, payload.readerIndex(), length);
      inputOffset = 0;
    }
    byte[] out = new byte[bound(length)];
    int written = 0;
    deflater.setInput(input, inputOffset, length, false);
    while (true) {
      deflater.setOutput(out, written, out.length - written);
      int rc = deflater.deflate(com.jcraft.jzlib.JZlib.Z_SYNC_FLUSH);
      if (rc != com.jcraft.jzlib.JZlib.Z_OK && rc != com.jcraft.jzlib.JZlib.Z_BUF_ERROR) {
        throw new IllegalStateException("JZlib deflate failed: " + rc + " " + deflater.msg);
      }
      written = deflater.next_out_index;
      if (deflater.avail_out > 0) {
        break;
      }
      out = java.util.Arrays.copyOf(out, out.length + Math.max(256, out.length >> 1));
    }
    deflater.setInput(NO_BYTES);
    if (noContextTakeover) {
      deflater.end();
    }
    ByteBuf compressed = Unpooled.wrappedBuffer(out, 0, written);
    stripTail(compressed);
    return compressed;
  }

  /** Frees the compressor (native memory with the JDK engine); later messages go uncompressed. */
  public void end() {
    ended = true;
    if (own != null) {
      own.end();
      own = null;
      DeflateContexts.ended();
    }
    if (ownJzlib != null) {
      ownJzlib.end();
      ownJzlib = null;
      DeflateContexts.ended();
    }
  }

  private Deflater ownJdk() {
    if (own == null) {
      own = new Deflater(level, true);
      DeflateContexts.made();
    }
    return own;
  }

  private com.jcraft.jzlib.Deflater ownJzlib() {
    if (ownJzlib == null) {
      ownJzlib = newJzlib();
      DeflateContexts.made();
    }
    return ownJzlib;
  }

  private com.jcraft.jzlib.Deflater newJzlib() {
    try {
      return new com.jcraft.jzlib.Deflater(
          level, windowBits, memoryLevel, com.jcraft.jzlib.JZlib.W_NONE);
    } catch (com.jcraft.jzlib.GZIPException e) {
      throw new IllegalStateException("JZlib cannot make a compressor: " + e.getMessage(), e);
    }
  }

  /** This thread's reset compressor for the level, made on first use. */
  private Deflater borrow() {
    Deflater[] shared = SHARED.get();
    Deflater deflater = shared[level + 1];
    if (deflater == null) {
      deflater = new Deflater(level, true);
      shared[level + 1] = deflater;
    }
    return deflater;
  }

  /** Removes the {@code 00 00 FF FF} that ends a sync flush (RFC 7692 section 7.2.1). */
  private static void stripTail(ByteBuf out) {
    int end = out.writerIndex();
    if (end - out.readerIndex() >= 4 && out.getInt(end - 4) == TAIL) {
      out.writerIndex(end - 4);
    } else {
      throw new IllegalStateException("the sync flush did not end with 00 00 FF FF");
    }
  }

  /** zlib's {@code deflateBound} plus a sync flush's empty stored block. */
  static int bound(int length) {
    long bound = (long) length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 5;
    return (int) Math.min(Integer.MAX_VALUE - 8, bound);
  }
}
