package dev.ixws.testkit;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.Inflater;
import com.jcraft.jzlib.JZlib;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Per-message deflate (RFC 7692) done independently of the library, for tests that must judge it: a
 * {@link Compressor} that makes what a peer with a given window and context mode would send, and a
 * {@link Decompressor} that inflates with exactly a given window, so a stream that refers further
 * back than the agreed window fails (or inflates to the wrong bytes, which the test compares). Both
 * use JZlib, a zlib port that is not the code under test (which uses the JDK's zlib for 15-bit
 * windows).
 */
public final class RawDeflate {

  private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

  private RawDeflate() {}

  /** {@code data} compressed as one message by a fresh 15-bit compressor, tail removed. */
  public static byte[] compress(byte[] data) {
    return new Compressor(15, false).compress(data);
  }

  /** {@code payload} inflated as one message by a fresh 15-bit decompressor. */
  public static byte[] inflate(byte[] payload) {
    return new Decompressor(15, false).inflate(payload);
  }

  /** A sender's compressor: a window of {@code windowBits}, the context kept unless told not to. */
  public static final class Compressor {
    private final int windowBits;
    private final boolean noContextTakeover;
    private Deflater deflater;

    /**
     * @param windowBits 9 to 15
     * @param noContextTakeover reset before each message
     */
    public Compressor(int windowBits, boolean noContextTakeover) {
      this.windowBits = windowBits;
      this.noContextTakeover = noContextTakeover;
    }

    /** One message's payload: raw deflate, sync-flushed, the trailing 00 00 FF FF removed. */
    public byte[] compress(byte[] data) {
      if (deflater == null || noContextTakeover) {
        try {
          deflater = new Deflater(JZlib.Z_DEFAULT_COMPRESSION, windowBits, 8, JZlib.W_NONE);
        } catch (GZIPException e) {
          throw new IllegalStateException(e);
        }
      }
      byte[] out = new byte[data.length + data.length / 100 + 64];
      deflater.setInput(data, 0, data.length, false);
      int written = 0;
      while (true) {
        deflater.setOutput(out, written, out.length - written);
        int rc = deflater.deflate(JZlib.Z_SYNC_FLUSH);
        if (rc != JZlib.Z_OK && rc != JZlib.Z_BUF_ERROR) {
          throw new IllegalStateException("deflate: " + rc);
        }
        written = deflater.next_out_index;
        if (deflater.avail_out > 0) {
          break;
        }
        out = Arrays.copyOf(out, out.length * 2);
      }
      if (written < 4 || !Arrays.equals(out, written - 4, written, TAIL, 0, 4)) {
        throw new IllegalStateException("no sync-flush tail");
      }
      return Arrays.copyOf(out, written - 4);
    }
  }

  /** A receiver's decompressor with exactly {@code windowBits} of window. */
  public static final class Decompressor {
    private final int windowBits;
    private final boolean noContextTakeover;
    private Inflater inflater;

    /**
     * @param windowBits 8 to 15: the window the sender agreed to stay within
     * @param noContextTakeover whether the sender resets its context before each message
     */
    public Decompressor(int windowBits, boolean noContextTakeover) {
      this.windowBits = windowBits;
      this.noContextTakeover = noContextTakeover;
    }

    /**
     * One message's payload inflated (the tail appended).
     *
     * @throws IllegalStateException when it is not valid deflate within the window
     */
    public byte[] inflate(byte[] payload) {
      if (inflater == null || noContextTakeover) {
        try {
          // zlib's inflate refuses 8 for raw streams; a 9-bit window reads 8-bit streams.
          inflater = new Inflater(Math.max(9, windowBits), JZlib.W_NONE);
        } catch (GZIPException e) {
          throw new IllegalStateException(e);
        }
      }
      byte[] input = Arrays.copyOf(payload, payload.length + 4);
      System.arraycopy(TAIL, 0, input, payload.length, 4);
      inflater.setInput(input, 0, input.length, false);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16384];
      while (true) {
        inflater.setOutput(buffer, 0, buffer.length);
        int rc = inflater.inflate(JZlib.Z_SYNC_FLUSH);
        if (rc != JZlib.Z_OK && rc != JZlib.Z_BUF_ERROR && rc != JZlib.Z_STREAM_END) {
          throw new IllegalStateException(
              "not valid deflate within a " + windowBits + "-bit window: " + inflater.msg);
        }
        out.write(buffer, 0, inflater.next_out_index);
        // Done when the input is used up and the output did not fill the buffer (nothing pending).
        boolean full = inflater.next_out_index == buffer.length;
        if (rc == JZlib.Z_STREAM_END || (inflater.avail_in == 0 && !full)) {
          break;
        }
        if (rc == JZlib.Z_BUF_ERROR && inflater.next_out_index == 0) {
          throw new IllegalStateException("deflate data ends early");
        }
      }
      return out.toByteArray();
    }
  }
}
