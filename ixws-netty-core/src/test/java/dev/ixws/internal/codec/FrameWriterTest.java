package dev.ixws.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameWriterTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  @ParameterizedTest(name = "{0} bytes, masked={1}")
  @CsvSource({
    "0, false",
    "0, true",
    "1, true",
    "125, false",
    "125, true",
    "126, false",
    "126, true",
    "16383, true",
    "16385, true",
    "65535, false",
    "65535, true",
    "65536, false",
    "65536, true",
    "100003, true"
  })
  void binaryFrameFromAnArraySliceCarriesExactlyThoseBytes(int size, boolean masked) {
    byte[] source = random(size + 7);
    byte[] payload = java.util.Arrays.copyOfRange(source, 3, 3 + size);
    WsFrame frame = decodeOne(FrameWriter.frame(ALLOC, true, source, 3, size, masked));
    assertFrame(frame, WsFrame.OP_BINARY, masked, payload);
    assertArrayEquals(random(size + 7), source, "masking must leave the source as it was");
  }

  @ParameterizedTest(name = "{0} bytes, masked={1}")
  @CsvSource({"0, true", "64, false", "64, true", "70000, false", "70000, true"})
  void binaryFrameFromEveryKindOfByteBufferLeavesItsPositionAlone(int size, boolean masked) {
    byte[] payload = random(size);
    List<Function<byte[], ByteBuffer>> kinds =
        List.of(
            ByteBuffer::wrap,
            bytes -> ByteBuffer.wrap(bytes).asReadOnlyBuffer(),
            bytes -> ByteBuffer.allocateDirect(bytes.length).put(bytes).flip(),
            bytes -> {
              ByteBuffer padded = ByteBuffer.allocate(bytes.length + 10);
              padded.position(5);
              padded.put(bytes).flip().position(5);
              return padded.slice(); // a non-zero array offset
            });
    for (Function<byte[], ByteBuffer> kind : kinds) {
      ByteBuffer data = kind.apply(payload);
      int position = data.position();
      WsFrame frame = decodeOne(FrameWriter.frame(ALLOC, data, masked));
      assertFrame(frame, WsFrame.OP_BINARY, masked, payload);
      assertEquals(position, data.position(), "the source's position must not move");
    }
  }

  @ParameterizedTest(name = "masked={0}")
  @CsvSource({"false", "true"})
  void textFrameIsTheUtf8OfTheString(boolean masked) {
    String text = "h\u00e9llo \u4e2d\u6587 \ud83d\ude00 ".repeat(3000);
    WsFrame frame = decodeOne(FrameWriter.text(ALLOC, text, masked));
    assertFrame(frame, WsFrame.OP_TEXT, masked, text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "masked={0}")
  @CsvSource({"false", "true"})
  void latin1FrameHoldsOneBytePerChar(boolean masked) {
    StringBuilder chars = new StringBuilder();
    for (int i = 0; i < 70000; i++) {
      chars.append((char) (i % 256));
    }
    WsFrame frame = decodeOne(FrameWriter.latin1(ALLOC, chars.toString(), masked));
    assertFrame(
        frame, WsFrame.OP_BINARY, masked, chars.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest(name = "masked={0}")
  @CsvSource({"false", "true"})
  void textFrameFromAnArrayIsMarkedText(boolean masked) {
    byte[] payload = "plain".getBytes(StandardCharsets.UTF_8);
    WsFrame frame = decodeOne(FrameWriter.frame(ALLOC, false, payload, 0, payload.length, masked));
    assertFrame(frame, WsFrame.OP_TEXT, masked, payload);
  }

  @ParameterizedTest(name = "masked={0}")
  @CsvSource({"false", "true"})
  void aCharAboveFfIsRefusedBeforeAnythingIsAllocated(boolean masked) {
    assertThrows(
        IllegalArgumentException.class, () -> FrameWriter.latin1(ALLOC, "a\u0100", masked));
  }

  @ParameterizedTest(name = "masked={0}")
  @CsvSource({"false", "true"})
  void aFrameReaderOfTheOtherRoleReadsTheFrame(boolean masked) {
    byte[] payload = random(40000);
    ByteBuf frame = FrameWriter.frame(ALLOC, true, payload, 0, payload.length, masked);
    io.netty.channel.embedded.EmbeddedChannel reader =
        new io.netty.channel.embedded.EmbeddedChannel(new FrameReader(masked, 1 << 20));
    reader.writeInbound(frame);
    dev.ixws.WebSocketMessage message = reader.readInbound();
    assertArrayEquals(payload, message.bytes());
    assertEquals(false, reader.finishAndReleaseAll());
  }

  private static void assertFrame(WsFrame frame, int opcode, boolean masked, byte[] payload) {
    assertEquals(true, frame.fin(), "FIN");
    assertEquals(0, frame.rsv(), "no reserved bit");
    assertEquals(opcode, frame.opcode(), "opcode");
    assertEquals(masked, frame.masked(), "mask bit");
    assertArrayEquals(payload, frame.payload());
  }

  /** Decodes the one frame in {@code buf} (released). */
  private static WsFrame decodeOne(ByteBuf buf) {
    try {
      List<WsFrame> frames = RawFrames.decodeAll(ByteBufUtil.getBytes(buf));
      assertEquals(1, frames.size(), "frames: " + frames);
      return frames.get(0);
    } finally {
      buf.release();
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
