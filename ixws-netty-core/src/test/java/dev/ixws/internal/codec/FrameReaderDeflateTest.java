package dev.ixws.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.internal.deflate.MessageInflater;
import dev.ixws.testkit.RawDeflate;
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
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame reader on a connection with per-message deflate (RFC 7692): compressed messages whole,
 * fragmented and empty, mixed with uncompressed ones, RSV1 misuse, invalid deflate data, inflated
 * invalid UTF-8, and decompression bombs bounded by the message size limit.
 */
class FrameReaderDeflateTest {

  private static final int LIMIT = 1 << 20;
  private static final int RSV1 = 4;

  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new FrameReader(true, LIMIT, ReceiveBudget.UNLIMITED, new MessageInflater(false)));

  private List<Object> feed(byte[] stream, int maxChunk) {
    Random random = new Random(maxChunk);
    for (int i = 0; i < stream.length; ) {
      int n = Math.min(stream.length - i, 1 + random.nextInt(maxChunk));
      channel.writeInbound(Unpooled.wrappedBuffer(stream, i, n));
      i += n;
    }
    List<Object> out = new ArrayList<>();
    Object o;
    while ((o = channel.readInbound()) != null) {
      out.add(o);
    }
    return out;
  }

  private List<Object> feed(WsFrame... frames) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (WsFrame frame : frames) {
      bytes.writeBytes(RawFrames.encode(frame));
    }
    return feed(bytes.toByteArray(), Integer.MAX_VALUE);
  }

  private static WsFrame compressed(int opcode, byte[] compressed) {
    return new WsFrame(true, RSV1, opcode, true, compressed);
  }

  private static FrameReader.Violation violation(List<Object> out) {
    return assertInstanceOf(FrameReader.Violation.class, out.get(out.size() - 1), out.toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 1000, 65_536, 131_072, 500_000})
  void compressedMessagesOfEverySizeInflateHoweverTheBytesAreSplit(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Arrays.fill(data, 0, size / 2, (byte) 'a'); // half compressible
    byte[] stream = RawFrames.encode(compressed(WsFrame.OP_BINARY, RawDeflate.compress(data)));
    for (int chunk : new int[] {Integer.MAX_VALUE, 1000, 7}) {
      if (chunk == 7 && size > 100_000) {
        continue; // byte-by-byte over half a megabyte proves nothing more
      }
      List<Object> out = feed(stream, chunk);
      assertEquals(1, out.size(), out.toString());
      WebSocketMessage message = (WebSocketMessage) out.get(0);
      assertEquals(WebSocketMessageType.MESSAGE, message.type());
      assertArrayEquals(data, message.bytes(), size + " bytes in pieces of " + chunk);
      assertEquals(stream.length, message.wireSize(), "the wire size is the compressed frame's");
    }
    channel.finishAndReleaseAll();
  }

  @Test
  void fragmentedCompressedMessagesCarryRsv1OnTheFirstFrameOnly() {
    byte[] data = "Hello, compressed and fragmented world".getBytes(StandardCharsets.UTF_8);
    byte[] deflated = RawDeflate.compress(data);
    int third = deflated.length / 3;
    List<Object> out =
        feed(
            new WsFrame(false, RSV1, WsFrame.OP_TEXT, true, Arrays.copyOfRange(deflated, 0, third)),
            new WsFrame(
                false,
                0,
                WsFrame.OP_CONTINUATION,
                true,
                Arrays.copyOfRange(deflated, third, 2 * third)),
            WsFrame.ping(new byte[] {1}, true),
            new WsFrame(
                true,
                0,
                WsFrame.OP_CONTINUATION,
                true,
                Arrays.copyOfRange(deflated, 2 * third, deflated.length)));
    List<WebSocketMessageType> types =
        out.stream().map(o -> ((WebSocketMessage) o).type()).toList();
    assertEquals(
        List.of(
            WebSocketMessageType.FRAGMENT,
            WebSocketMessageType.FRAGMENT,
            WebSocketMessageType.PING,
            WebSocketMessageType.MESSAGE),
        types);
    assertEquals(new String(data, StandardCharsets.UTF_8), ((WebSocketMessage) out.get(3)).str());
    channel.finishAndReleaseAll();
  }

  @Test
  void emptyCompressedMessagesInBothForms() {
    // "00" is the empty stored block RFC 7692 section 7.2.3.6 shows; no bytes at all also works.
    List<Object> out =
        feed(
            compressed(WsFrame.OP_TEXT, new byte[] {0}),
            compressed(WsFrame.OP_BINARY, new byte[0]));
    assertEquals(2, out.size());
    assertEquals("", ((WebSocketMessage) out.get(0)).str());
    assertEquals(0, ((WebSocketMessage) out.get(1)).bytes().length);
    channel.finishAndReleaseAll();
  }

  @Test
  void contextIsTakenOverAcrossMessagesMixedWithUncompressedOnes() {
    RawDeflate.Compressor peer = new RawDeflate.Compressor(15, false);
    byte[] data = "the same sentence, again and again".getBytes(StandardCharsets.UTF_8);
    List<Object> out =
        feed(
            compressed(WsFrame.OP_TEXT, peer.compress(data)),
            WsFrame.text("plain in between", true),
            compressed(WsFrame.OP_TEXT, peer.compress(data)));
    assertEquals(3, out.size());
    assertEquals("plain in between", ((WebSocketMessage) out.get(1)).str());
    assertEquals(new String(data, StandardCharsets.UTF_8), ((WebSocketMessage) out.get(2)).str());
    channel.finishAndReleaseAll();
  }

  @Test
  void aStreamEndedWithAFinalBlockIsReadAndTheNextMessageStartsAfresh() {
    byte[] data = "final block".getBytes(StandardCharsets.UTF_8);
    Deflater deflater = new Deflater(6, true);
    deflater.setInput(data);
    deflater.finish();
    byte[] buffer = new byte[100];
    int n = deflater.deflate(buffer);
    deflater.end();
    byte[] finished = Arrays.copyOf(buffer, n);
    List<Object> out =
        feed(
            compressed(WsFrame.OP_TEXT, finished),
            compressed(WsFrame.OP_TEXT, RawDeflate.compress(data)));
    assertEquals(2, out.size(), out.toString());
    assertEquals("final block", ((WebSocketMessage) out.get(0)).str());
    assertEquals("final block", ((WebSocketMessage) out.get(1)).str());
    channel.finishAndReleaseAll();
  }

  @Test
  void rsv1OnAContinuationFrameFailsWith1002() {
    List<Object> out =
        feed(
            new WsFrame(false, 0, WsFrame.OP_TEXT, true, "a".getBytes(StandardCharsets.UTF_8)),
            new WsFrame(true, RSV1, WsFrame.OP_CONTINUATION, true, new byte[] {0}));
    assertEquals(1002, violation(out).code());
    assertTrue(violation(out).reason().contains("continuation"), violation(out).reason());
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest
  @ValueSource(ints = {WsFrame.OP_PING, WsFrame.OP_PONG, WsFrame.OP_CLOSE})
  void rsv1OnAControlFrameFailsWith1002(int opcode) {
    List<Object> out = feed(new WsFrame(true, RSV1, opcode, true, new byte[0]));
    assertEquals(1002, violation(out).code());
    assertTrue(violation(out).reason().contains("control frame"), violation(out).reason());
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 6, 7})
  void otherReservedBitsStillFailWith1002(int rsv) {
    List<Object> out = feed(new WsFrame(true, rsv, WsFrame.OP_TEXT, true, new byte[] {0}));
    assertEquals(1002, violation(out).code());
    channel.finishAndReleaseAll();
  }

  @Test
  void invalidDeflateDataFailsWith1007AsADecompressionError() {
    // BTYPE 11 is reserved: no inflater accepts it.
    List<Object> out = feed(compressed(WsFrame.OP_BINARY, new byte[] {(byte) 0xFF, 0x12, 0x34}));
    FrameReader.Violation violation = violation(out);
    assertEquals(1007, violation.code());
    assertTrue(violation.decompressionError());
    assertTrue(violation.reason().startsWith("Invalid compressed data"), violation.reason());
    channel.finishAndReleaseAll();
  }

  @Test
  void inflatedInvalidUtf8FailsWith1007() {
    byte[] invalid = {'o', 'k', (byte) 0xC0, (byte) 0xAF};
    List<Object> out = feed(compressed(WsFrame.OP_TEXT, RawDeflate.compress(invalid)));
    assertEquals(1007, violation(out).code());
    assertTrue(violation(out).reason().contains("UTF-8"), violation(out).reason());
    channel.finishAndReleaseAll();
  }

  @Test
  void aBombIsRefusedWith1009AfterAtMostTheLimit() {
    // 64 MiB of zeros compress to about 64 KiB: far over the 1 MiB limit once inflated.
    RawDeflate.Compressor compressor = new RawDeflate.Compressor(15, false);
    byte[] bomb = compressor.compress(new byte[64 << 20]);
    FrameReader reader = (FrameReader) channel.pipeline().first();
    byte[] stream = RawFrames.encode(compressed(WsFrame.OP_BINARY, bomb));
    List<Object> out = feed(stream, 4096);
    FrameReader.Violation violation = violation(out);
    assertEquals(1009, violation.code());
    assertTrue(violation.decompressionError());
    assertEquals(1, out.size(), "nothing delivered before the refusal");
    assertEquals(0, reader.heldBytes(), "the inflated bytes are dropped with the refusal");
    channel.finishAndReleaseAll();
  }

  @Test
  void whileInflatingTheBufferNeverExceedsTheLimitByMoreThanAByte() {
    FrameReader reader = (FrameReader) channel.pipeline().first();
    byte[] bomb = new RawDeflate.Compressor(15, false).compress(new byte[8 << 20]);
    // Feed all but the last bytes: the message is still in progress, its buffer at its largest.
    byte[] stream = RawFrames.encode(new WsFrame(false, RSV1, WsFrame.OP_BINARY, true, bomb));
    channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, stream.length / 8));
    assertTrue(reader.heldBytes() <= LIMIT + 1, "held " + reader.heldBytes());
    channel.finishAndReleaseAll();
  }

  @Test
  void withoutDeflateNegotiatedRsv1IsStillAProtocolError() {
    EmbeddedChannel plain = new EmbeddedChannel(new FrameReader(true, LIMIT));
    plain.writeInbound(
        Unpooled.wrappedBuffer(
            RawFrames.encode(compressed(WsFrame.OP_TEXT, RawDeflate.compress(new byte[10])))));
    FrameReader.Violation violation = plain.readInbound();
    assertEquals(1002, violation.code());
    assertTrue(violation.reason().contains("no extension was negotiated"), violation.reason());
    plain.finishAndReleaseAll();
  }
}
