package dev.ixws.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes and decodes RFC 6455 frames byte for byte (section 5.2), independently of the code under
 * test: the reference that the library's codec is checked against. Stateless and thread-safe.
 */
public final class RawFrames {

  private RawFrames() {}

  /** {@code frame} on the wire; a masked frame gets a random masking key. */
  public static byte[] encode(WsFrame frame) {
    byte[] key = new byte[4];
    ThreadLocalRandom.current().nextBytes(key);
    return encode(frame, key);
  }

  /**
   * {@code frame} on the wire with {@code maskKey} (4 bytes; ignored when the frame is not masked).
   * The payload length uses the minimal encoding (7 bits, then 16, then 64).
   */
  public static byte[] encode(WsFrame frame, byte[] maskKey) {
    byte[] payload = frame.payload();
    int len = payload.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + 14);
    out.write((frame.fin() ? 0x80 : 0) | (frame.rsv() << 4) | frame.opcode());
    int maskBit = frame.masked() ? 0x80 : 0;
    if (len <= 125) {
      out.write(maskBit | len);
    } else if (len <= 0xFFFF) {
      out.write(maskBit | 126);
      out.write(len >>> 8);
      out.write(len);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) len >>> shift));
      }
    }
    if (frame.masked()) {
      out.write(maskKey, 0, 4);
      byte[] masked = new byte[len];
      for (int i = 0; i < len; i++) {
        masked[i] = (byte) (payload[i] ^ maskKey[i & 3]);
      }
      out.write(masked, 0, len);
    } else {
      out.write(payload, 0, len);
    }
    return out.toByteArray();
  }

  /** Reads one frame from {@code in}, unmasking its payload. */
  public static WsFrame read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int b0 = in.read();
    if (b0 < 0) {
      throw new EOFException("end of stream before a frame");
    }
    int b1 = data.readUnsignedByte();
    boolean masked = (b1 & 0x80) != 0;
    long len = b1 & 0x7F;
    if (len == 126) {
      len = data.readUnsignedShort();
    } else if (len == 127) {
      len = data.readLong();
    }
    if (len < 0 || len > Integer.MAX_VALUE - 8) {
      throw new IOException("frame payload length out of range: " + len);
    }
    byte[] key = new byte[4];
    if (masked) {
      data.readFully(key);
    }
    byte[] payload = new byte[(int) len];
    data.readFully(payload);
    if (masked) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= key[i & 3];
      }
    }
    return new WsFrame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, masked, payload);
  }

  /** Every frame in {@code bytes}, which must hold whole frames only. */
  public static List<WsFrame> decodeAll(byte[] bytes) {
    List<WsFrame> frames = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    try {
      while (in.available() > 0) {
        frames.add(read(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("bytes do not hold whole frames", e);
    }
    return frames;
  }
}
