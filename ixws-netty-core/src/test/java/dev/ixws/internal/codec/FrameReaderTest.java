package dev.ixws.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame reader alone, fed raw bytes in every way a socket can deliver them: whole, one byte at
 * a time, in random pieces. The session-level behaviour (close codes sent, events) is covered by
 * the other tests of this package, which run the reader in the production pipeline.
 */
class FrameReaderTest {

  private static final int LIMIT = 4 << 20;
  private static final int ONE_MIB = 1 << 20;

  /** A mix that exercises every path: fragments, interleaved control frames, all length forms. */
  private static byte[] mixedStream(Random random, boolean masked) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] big = new byte[ONE_MIB + 12_345];
    random.nextBytes(big);
    byte[] medium = new byte[70_000];
    random.nextBytes(medium);
    WsFrame[] frames = {
      WsFrame.text("hello", masked),
      new WsFrame(
          false, 0, WsFrame.OP_TEXT, masked, "caf\u00e9 \u20ac".getBytes(StandardCharsets.UTF_8)),
      new WsFrame(true, 0, WsFrame.OP_PING, masked, "p".getBytes(StandardCharsets.UTF_8)),
      new WsFrame(false, 0, WsFrame.OP_CONTINUATION, masked, new byte[0]),
      new WsFrame(
          true,
          0,
          WsFrame.OP_CONTINUATION,
          masked,
          " \uD83D\uDE00!".getBytes(StandardCharsets.UTF_8)),
      WsFrame.binary(new byte[126], masked),
      WsFrame.binary(medium, masked),
      new WsFrame(true, 0, WsFrame.OP_PONG, masked, new byte[125]),
      new WsFrame(false, 0, WsFrame.OP_BINARY, masked, Arrays.copyOfRange(big, 0, 1000)),
      new WsFrame(
          true, 0, WsFrame.OP_CONTINUATION, masked, Arrays.copyOfRange(big, 1000, big.length)),
      WsFrame.binary(big, masked),
      WsFrame.text("", masked),
    };
    for (WsFrame frame : frames) {
      bytes.writeBytes(RawFrames.encode(frame));
    }
    return bytes.toByteArray();
  }

  private static List<Object> read(
      boolean expectMasked, byte[] stream, Random chunks, int maxChunk) {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameReader(expectMasked, LIMIT));
    int i = 0;
    while (i < stream.length) {
      int n = Math.min(stream.length - i, 1 + chunks.nextInt(maxChunk));
      channel.writeInbound(Unpooled.wrappedBuffer(stream, i, n));
      i += n;
    }
    List<Object> out = new ArrayList<>();
    Object o;
    while ((o = channel.readInbound()) != null) {
      out.add(o);
    }
    channel.finishAndReleaseAll();
    return out;
  }

  private static String describe(List<Object> out) {
    StringBuilder s = new StringBuilder();
    for (Object o : out) {
      if (o instanceof WebSocketMessage m) {
        s.append(m)
            .append(" wire=")
            .append(m.wireSize())
            .append(" hash=")
            .append(Arrays.hashCode(m.bytes()))
            .append('\n');
      } else {
        s.append(o).append('\n');
      }
    }
    return s.toString();
  }

  @ParameterizedTest(name = "masked={0}")
  @ValueSource(booleans = {true, false})
  void theSameMessagesComeOutHoweverTheBytesAreSplit(boolean masked) {
    byte[] stream = mixedStream(new Random(1), masked);
    List<Object> whole = read(masked, stream, new Random(2), Integer.MAX_VALUE);
    assertEquals(
        List.of(
            WebSocketMessageType.MESSAGE,
            WebSocketMessageType.FRAGMENT,
            WebSocketMessageType.PING,
            WebSocketMessageType.FRAGMENT,
            WebSocketMessageType.MESSAGE,
            WebSocketMessageType.MESSAGE,
            WebSocketMessageType.MESSAGE,
            WebSocketMessageType.PONG,
            WebSocketMessageType.FRAGMENT,
            WebSocketMessageType.MESSAGE,
            WebSocketMessageType.MESSAGE,
            WebSocketMessageType.MESSAGE),
        whole.stream().map(o -> ((WebSocketMessage) o).type()).toList());
    assertEquals("caf\u00e9 \u20ac \uD83D\uDE00!", ((WebSocketMessage) whole.get(4)).str());
    for (int maxChunk : new int[] {1, 3, 7, 100, 5000, 70_000}) {
      List<Object> pieces = read(masked, stream, new Random(maxChunk), maxChunk);
      assertEquals(describe(whole), describe(pieces), "read in pieces of up to " + maxChunk);
    }
  }

  @Test
  void payloadsAreUnmaskedExactly() {
    Random random = new Random(3);
    for (int size : new int[] {0, 1, 7, 8, 9, 125, 126, 65535, 65536, ONE_MIB + 3}) {
      byte[] payload = new byte[size];
      random.nextBytes(payload);
      byte[] stream = RawFrames.encode(WsFrame.binary(payload, true));
      List<Object> out = read(true, stream, new Random(size), 1 + size / 3);
      assertEquals(1, out.size());
      WebSocketMessage message = (WebSocketMessage) out.get(0);
      assertArrayEquals(payload, message.bytes(), size + " bytes");
      assertEquals(Frames.wireSize(size, true), message.wireSize());
    }
  }

  @Test
  void aMessageReassembledFromManySmallFragmentsIsExact() {
    Random random = new Random(4);
    byte[] payload = new byte[ONE_MIB * 2 + 17];
    random.nextBytes(payload);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int step = 40_000;
    for (int i = 0; i < payload.length; i += step) {
      int end = Math.min(payload.length, i + step);
      int op = i == 0 ? WsFrame.OP_BINARY : WsFrame.OP_CONTINUATION;
      bytes.writeBytes(
          RawFrames.encode(
              new WsFrame(
                  end == payload.length, 0, op, false, Arrays.copyOfRange(payload, i, end))));
    }
    List<Object> out = read(false, bytes.toByteArray(), new Random(5), 65536);
    WebSocketMessage last = (WebSocketMessage) out.get(out.size() - 1);
    assertEquals(WebSocketMessageType.MESSAGE, last.type());
    assertArrayEquals(payload, last.bytes());
  }

  @Test
  void nothingIsReadAfterACloseFrame() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(RawFrames.encode(WsFrame.close(1000, "bye", true)));
    bytes.writeBytes(RawFrames.encode(WsFrame.text("after", true)));
    List<Object> out = read(true, bytes.toByteArray(), new Random(6), 3);
    assertEquals(List.of(new FrameReader.Close(1000, "bye")), out);
  }

  @Test
  void nothingIsReadAfterAViolation() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(RawFrames.encode(WsFrame.text("unmasked", false)));
    bytes.writeBytes(RawFrames.encode(WsFrame.text("fine", true)));
    List<Object> out = read(true, bytes.toByteArray(), new Random(7), 1000);
    assertEquals(1, out.size(), "out: " + out);
    FrameReader.Violation violation = assertInstanceOf(FrameReader.Violation.class, out.get(0));
    assertEquals(1002, violation.code());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "817E007D", // 16-bit length 125: not minimal
        "817F000000000000FFFF", // 64-bit length 65535: not minimal
        "827F8000000000000000", // 64-bit length with the top bit set
        "C100", // RSV1 without an extension
        "8300", // reserved data opcode 3
        "8B00", // reserved control opcode 11
        "0900", // fragmented ping
        "897E007E", // ping longer than 125 bytes
        "8000", // continuation with no message
        "88010A", // close with a one-byte payload
        "880203ED", // close code 1005 may not be sent
      })
  void malformedFramesAreProtocolErrors(String hex) {
    List<Object> out = read(false, hexBytes(hex), new Random(8), 1);
    assertEquals(1, out.size(), "out: " + out);
    FrameReader.Violation violation = assertInstanceOf(FrameReader.Violation.class, out.get(0));
    assertEquals(1002, violation.code(), violation.reason());
    assertTrue(violation.reason().startsWith("Protocol error: "), violation.reason());
  }

  @Test
  void invalidUtf8InACloseReasonIs1007() {
    List<Object> out = read(false, hexBytes("880403E8C328"), new Random(9), 1);
    FrameReader.Violation violation = assertInstanceOf(FrameReader.Violation.class, out.get(0));
    assertEquals(1007, violation.code());
  }

  @Test
  void invalidUtf8FailsAtTheFirstBadByteBeforeTheFrameEnds() {
    // A 1000-byte text frame whose third byte is invalid: only its first 10 bytes arrive.
    byte[] payload = new byte[1000];
    Arrays.fill(payload, (byte) 'a');
    payload[2] = (byte) 0xFF;
    byte[] stream = RawFrames.encode(new WsFrame(true, 0, WsFrame.OP_TEXT, false, payload));
    EmbeddedChannel channel = new EmbeddedChannel(new FrameReader(false, LIMIT));
    channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, 14));
    FrameReader.Violation violation =
        assertInstanceOf(FrameReader.Violation.class, channel.readInbound());
    assertEquals(1007, violation.code());
    channel.finishAndReleaseAll();
  }

  private static byte[] hexBytes(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
