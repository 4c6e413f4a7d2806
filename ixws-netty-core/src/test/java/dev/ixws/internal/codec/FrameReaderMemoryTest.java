package dev.ixws.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the frame reader holds while a message arrives: sized from the bytes received, never from
 * the declared length, and charged to the shared {@link ReceiveBudget} only while it waits between
 * reads, with every charge given back whatever ends the message.
 */
class FrameReaderMemoryTest {

  private static final int LIMIT = 4 << 20;
  private static final int HEADER_64 = 14; // masked, 64-bit length

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static void feed(EmbeddedChannel channel, byte[] bytes, int from, int to) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, to - from));
  }

  @Test
  void aDeclaredMegabyteFrameWithEightBytesReceivedHoldsEightBytes() {
    ReceiveBudget budget = new ReceiveBudget("server", LIMIT);
    FrameReader reader = new FrameReader(true, LIMIT, budget);
    EmbeddedChannel channel = new EmbeddedChannel(reader);
    byte[] payload = random(1_000_000, 1);
    byte[] stream = RawFrames.encode(WsFrame.binary(payload, true));

    feed(channel, stream, 0, HEADER_64 + 8);
    assertNull(channel.readInbound());
    assertEquals(8, reader.heldBytes(), "held for 8 bytes received of 1,000,000 declared");
    assertEquals(8, budget.usedBytes(), "charged while it waits for the rest");

    // Then the rest in pieces: what is held follows what arrived, within the growth bound.
    int received = 8;
    for (int at = HEADER_64 + 8; at < stream.length; at += 50_000) {
      int to = Math.min(stream.length, at + 50_000);
      feed(channel, stream, at, to);
      received += to - at;
      if (to < stream.length) {
        assertTrue(
            reader.heldBytes() <= 2L * received + FrameReader.RESERVE_AHEAD,
            reader.heldBytes() + " held for " + received + " received");
        assertEquals(reader.heldBytes(), budget.usedBytes());
      }
    }
    WebSocketMessage message = channel.readInbound();
    assertArrayEquals(payload, message.bytes());
    assertEquals(0, reader.heldBytes());
    assertEquals(0, budget.usedBytes(), "given back once delivered");
    channel.finishAndReleaseAll();
  }

  @Test
  void aFrameWithinTheReserveOfTheBytesReceivedIsSizedToItsEndAtOnce() {
    FrameReader reader = new FrameReader(true, LIMIT);
    EmbeddedChannel channel = new EmbeddedChannel(reader);
    byte[] stream = RawFrames.encode(WsFrame.binary(random(10_000, 2), true));
    feed(channel, stream, 0, 8 + 100); // 16-bit length: 8-byte masked header
    assertEquals(10_000, reader.heldBytes());
    feed(channel, stream, 108, stream.length);
    assertEquals(10_000, ((WebSocketMessage) channel.readInbound()).size());
    channel.finishAndReleaseAll();
  }

  @Test
  void aMebibyteFrameInReadsOf64KibIsSizedToItsEndAtTheLastDoublingNotCopiedOnceMore() {
    FrameReader reader = new FrameReader(true, 4 << 20);
    EmbeddedChannel channel = new EmbeddedChannel(reader);
    byte[] payload = random(1 << 20, 6);
    byte[] stream = RawFrames.encode(WsFrame.binary(payload, true));
    int read = 64 * 1024;
    // Eight reads: 14 header bytes, so 524,274 payload bytes, 14 short of half the frame. Twice
    // that is 28 bytes short of the frame's end, which is within the reserve: sized to it now.
    feed(channel, stream, 0, 8 * read);
    assertEquals(1 << 20, reader.heldBytes(), "the buffer is the frame's, no later copy needed");
    for (int at = 8 * read; at < stream.length; at += read) {
      feed(channel, stream, at, Math.min(stream.length, at + read));
      if (at + read < stream.length) {
        assertEquals(1 << 20, reader.heldBytes(), "no growth after the last doubling");
      }
    }
    assertArrayEquals(payload, ((WebSocketMessage) channel.readInbound()).bytes());
    channel.finishAndReleaseAll();
  }

  @Test
  void aMessageThatArrivesWithinOneReadIsNeverChargedToTheBudget() {
    // A one-byte budget: any charge would fail the connection.
    ReceiveBudget budget = new ReceiveBudget("server", 1);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameReader(true, LIMIT, budget));
    byte[] payload = random(300_000, 3);
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            RawFrames.encode(WsFrame.of(false, WsFrame.OP_BINARY, new byte[0], true)),
            RawFrames.encode(
                WsFrame.of(false, WsFrame.OP_CONTINUATION, Arrays.copyOf(payload, 1000), true)),
            RawFrames.encode(
                WsFrame.of(
                    true,
                    WsFrame.OP_CONTINUATION,
                    Arrays.copyOfRange(payload, 1000, payload.length),
                    true))));
    assertEquals(WebSocketMessageType.FRAGMENT, ((WebSocketMessage) channel.readInbound()).type());
    assertEquals(WebSocketMessageType.FRAGMENT, ((WebSocketMessage) channel.readInbound()).type());
    assertArrayEquals(payload, ((WebSocketMessage) channel.readInbound()).bytes());
    assertEquals(0, budget.usedBytes());
    channel.finishAndReleaseAll();
  }

  @Test
  void theConnectionThatWouldExceedTheBudgetFailsWith1009AndTheOthersGoOn() {
    ReceiveBudget budget = new ReceiveBudget("server", 150_000);
    FrameReader first = new FrameReader(true, LIMIT, budget);
    FrameReader second = new FrameReader(true, LIMIT, budget);
    EmbeddedChannel a = new EmbeddedChannel(first);
    EmbeddedChannel b = new EmbeddedChannel(second);
    byte[] payloadA = random(200_000, 4);
    byte[] streamA = RawFrames.encode(WsFrame.binary(payloadA, true));
    byte[] streamB = RawFrames.encode(WsFrame.binary(random(200_000, 5), true));

    feed(a, streamA, 0, HEADER_64 + 60_000);
    assertEquals(60_000, budget.usedBytes());
    feed(b, streamB, 0, HEADER_64 + 100_000);
    FrameReader.Violation violation =
        assertInstanceOf(FrameReader.Violation.class, b.readInbound());
    assertEquals(1009, violation.code());
    assertEquals("server receive budget of 150000 bytes exhausted", violation.reason());
    assertEquals(0, second.heldBytes());
    assertEquals(60_000, budget.usedBytes(), "the failed connection's charge is given back");
    feed(b, streamB, HEADER_64 + 100_000, streamB.length);
    assertNull(b.readInbound(), "nothing is read after the violation");

    // The first connection goes on; the budget now has room as the other left.
    feed(a, streamA, HEADER_64 + 60_000, HEADER_64 + 90_000);
    assertEquals(120_000, budget.usedBytes(), "its buffer doubled as the bytes came");
    feed(a, streamA, HEADER_64 + 90_000, streamA.length);
    assertArrayEquals(payloadA, ((WebSocketMessage) a.readInbound()).bytes());
    assertEquals(0, budget.usedBytes());
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }

  @Test
  void theBudgetAppliesAcrossTheFragmentsOfAMessage() {
    ReceiveBudget budget = new ReceiveBudget("server", 100_000);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameReader(true, LIMIT, budget));
    // Whole fragments, one read each: the message, not the frame, is what waits between reads.
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            RawFrames.encode(WsFrame.of(false, WsFrame.OP_BINARY, new byte[40_000], true))));
    assertEquals(WebSocketMessageType.FRAGMENT, ((WebSocketMessage) channel.readInbound()).type());
    assertEquals(40_000, budget.usedBytes());
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            RawFrames.encode(WsFrame.of(false, WsFrame.OP_CONTINUATION, new byte[40_000], true))));
    assertEquals(WebSocketMessageType.FRAGMENT, ((WebSocketMessage) channel.readInbound()).type());
    assertTrue(budget.usedBytes() >= 80_000 && budget.usedBytes() <= 100_000, budget.toString());
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            RawFrames.encode(WsFrame.of(false, WsFrame.OP_CONTINUATION, new byte[40_000], true))));
    // The fragment was read whole; holding it until the next read is what the budget refuses.
    assertEquals(WebSocketMessageType.FRAGMENT, ((WebSocketMessage) channel.readInbound()).type());
    FrameReader.Violation violation =
        assertInstanceOf(FrameReader.Violation.class, channel.readInbound());
    assertEquals(1009, violation.code());
    assertEquals("server receive budget of 100000 bytes exhausted", violation.reason());
    assertEquals(0, budget.usedBytes());
    channel.finishAndReleaseAll();
  }

  /** Every way a message in progress can end. */
  enum Ending {
    DELIVERED,
    INVALID_UTF8,
    PROTOCOL_ERROR,
    CLOSE_FRAME_BETWEEN_FRAGMENTS,
    OVER_MAX_MESSAGE_SIZE,
    CHANNEL_CLOSED,
    HANDLER_REMOVED
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Ending.class)
  void theBudgetComesBackToZeroHoweverTheMessageEnds(Ending ending) {
    ReceiveBudget budget = new ReceiveBudget("server", LIMIT);
    FrameReader reader = new FrameReader(true, 150_000, budget);
    EmbeddedChannel channel = new EmbeddedChannel(reader);
    // The first frame of a fragmented text message, whole: the message waits for the rest.
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            RawFrames.encode(
                WsFrame.of(
                    false,
                    WsFrame.OP_TEXT,
                    "a".repeat(100_000).getBytes(StandardCharsets.UTF_8),
                    true))));
    assertEquals(WebSocketMessageType.FRAGMENT, ((WebSocketMessage) channel.readInbound()).type());
    assertEquals(100_000, budget.usedBytes());
    byte[] invalid = "bb\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    Object next =
        switch (ending) {
          case DELIVERED -> continuation(true, "b".getBytes(StandardCharsets.UTF_8));
          case INVALID_UTF8 -> continuation(true, invalid);
          case PROTOCOL_ERROR -> RawFrames.encode(WsFrame.text("unmasked", false));
          case CLOSE_FRAME_BETWEEN_FRAGMENTS -> RawFrames.encode(WsFrame.close(1000, "bye", true));
          case OVER_MAX_MESSAGE_SIZE -> continuation(true, new byte[60_000]);
          case CHANNEL_CLOSED -> channel.close();
          case HANDLER_REMOVED -> channel.pipeline().remove(reader);
        };
    if (next instanceof byte[] bytes) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }
    Object last = channel.readInbound();
    switch (ending) {
      case DELIVERED ->
          assertEquals(100_001, assertInstanceOf(WebSocketMessage.class, last).size());
      case INVALID_UTF8 ->
          assertEquals(1007, assertInstanceOf(FrameReader.Violation.class, last).code());
      case PROTOCOL_ERROR ->
          assertEquals(1002, assertInstanceOf(FrameReader.Violation.class, last).code());
      case CLOSE_FRAME_BETWEEN_FRAGMENTS -> assertEquals(new FrameReader.Close(1000, "bye"), last);
      case OVER_MAX_MESSAGE_SIZE ->
          assertEquals(1009, assertInstanceOf(FrameReader.Violation.class, last).code());
      default -> assertNull(last);
    }
    assertEquals(0, budget.usedBytes(), ending + ", last read: " + last);
    channel.finishAndReleaseAll();
    assertEquals(0, budget.usedBytes());
  }

  @Test
  void aConnectionClosedInsideAFrameGivesItsChargeBack() {
    ReceiveBudget budget = new ReceiveBudget("server", LIMIT);
    EmbeddedChannel channel = new EmbeddedChannel(new FrameReader(true, LIMIT, budget));
    byte[] stream = RawFrames.encode(WsFrame.binary(random(500_000, 6), true));
    feed(channel, stream, 0, HEADER_64 + 300_000);
    // As much ahead as arrived reaches the frame's end: sized to it.
    assertEquals(500_000, budget.usedBytes());
    channel.finishAndReleaseAll();
    assertEquals(0, budget.usedBytes());
  }

  private static byte[] continuation(boolean fin, byte[] payload) {
    return RawFrames.encode(WsFrame.of(fin, WsFrame.OP_CONTINUATION, payload, true));
  }
}
