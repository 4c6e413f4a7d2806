package dev.ixws.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ixws.WebSocketCloseConstants;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.SessionPipeline;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.StrictUtf8;
import dev.ixws.testkit.WsFrame;
import dev.ixws.testkit.fuzz.CaughtExceptions;
import dev.ixws.testkit.fuzz.Fuzzing;
import dev.ixws.testkit.internal.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target: the frame reader in the pipeline a session runs (our {@link FrameReader}, Netty's
 * frame encoder, {@link SessionPipeline#install}) on an {@link EmbeddedChannel}, fed hostile bytes
 * as a server (frames must be masked) and as a client (frames must not be). Each input is fed
 * twice, in one read and split at points drawn from the input's hash, and for every input:
 *
 * <ul>
 *   <li>no exception reaches the pipeline ({@code checkException()}, nothing logged by an {@code
 *       exceptionCaught});
 *   <li>every buffer allocated is released (a tracking allocator, and the paranoid leak detector);
 *   <li>the outcome is messages, pings and pongs delivered (each ping answered with its payload),
 *       then possibly either a close frame with 1002, 1007 or 1009 after an {@code ERROR}, or the
 *       echo of the peer's valid close; the channel is then closed; nothing is delivered after;
 *   <li>text messages are valid UTF-8, no message exceeds the limit, control payloads fit 125
 *       bytes;
 *   <li>the reader's memory stays within the limit and grows with the bytes received, not with the
 *       lengths announced; at most one header's bytes wait in its cumulation;
 *   <li>the split points change nothing.
 * </ul>
 *
 * <p>The message limit is drawn from the input's hash too, among {@link #LIMITS}. The corpus is in
 * {@code src/test/resources/dev/ixws/internal/codec/FrameReaderFuzzTestInputs/}. The {@code @Test}
 * methods run the seeded mutation fuzzer ({@code -Dixws.fuzz.seconds}); the {@code @FuzzTest}
 * methods run Jazzer with {@code -Pjazzer}.
 */
class FrameReaderFuzzTest {

  /** Limits that make 1009 reachable by small inputs, plus one above the preallocation limit. */
  static final int[] LIMITS = {64, 1000, 70_000, 2 << 20};

  private static final Set<Integer> FAILURE_CODES =
      Set.of(
          WebSocketCloseConstants.PROTOCOL_ERROR_CODE,
          WebSocketCloseConstants.INVALID_FRAME_PAYLOAD_DATA_CODE,
          WebSocketCloseConstants.MESSAGE_TOO_BIG_CODE);

  private static final CaughtExceptions CAUGHT =
      CaughtExceptions.install(
          e -> e.getMessage().equals("connection failed: {}"),
          "dev.ixws.internal.session.WebSocketSession");

  @Test
  void serverRoleEndsEveryInputWithMessagesOrAnRfcClose() {
    Fuzzing.run(
        "frame-reader-server",
        Fuzzing.corpus(getClass(), "FrameReaderFuzzTestInputs/fuzzServerRole"),
        Long.MAX_VALUE,
        input -> check(true, input));
  }

  @Test
  void clientRoleEndsEveryInputWithMessagesOrAnRfcClose() {
    Fuzzing.run(
        "frame-reader-client",
        Fuzzing.corpus(getClass(), "FrameReaderFuzzTestInputs/fuzzClientRole"),
        Long.MAX_VALUE,
        input -> check(false, input));
  }

  /**
   * A bug this fuzzer found, fixed (corpus files {@code found-continuation-length-overflows-*}):
   * the size check {@code (long) messageLength + length > maxMessageSize} in {@code
   * FrameReader.readHeader} overflows when a continuation follows a non-empty fragment and
   * announces a 64-bit length near {@code Long.MAX_VALUE}; the frame then passes with {@code
   * frameLength = (int) length}, negative, and {@code readPayload} throws {@code
   * IllegalArgumentException: minimumReadableBytes : -1}. The session catches the {@code
   * DecoderException} and dropped the connection with 1006 instead of failing it with 1009. The
   * check now subtracts instead of adding.
   */
  @Test
  void continuationWhoseLengthOverflowsTheSizeCheckFailsWith1009() {
    byte[] input = {
      0x02,
      0x01,
      (byte) 0xAA, // binary, not final, 1 byte
      (byte) 0x80,
      0x7F,
      0x7F,
      -1,
      -1,
      -1,
      -1,
      -1,
      -1,
      -1, // final continuation, 2^63 - 1 bytes
      (byte) 0xBB
    };
    check(false, input);
    Outcome outcome = feed(false, 1000, input, new int[] {input.length});
    assertEquals(1009, outcome.frames.get(outcome.frames.size() - 1).closeCode());
  }

  @FuzzTest
  void fuzzServerRole(byte[] input) {
    check(true, input);
  }

  @FuzzTest
  void fuzzClientRole(byte[] input) {
    check(false, input);
  }

  /** Checks every property on {@code input}, read by a server or a client. */
  static void check(boolean server, byte[] input) {
    Random random = new Random(Arrays.hashCode(input));
    int limit = LIMITS[random.nextInt(LIMITS.length)];
    Outcome whole = feed(server, limit, input, new int[] {input.length});
    Outcome split = feed(server, limit, input, splits(random, input.length));
    assertEquals(whole.frames, split.frames, "frames written depend on how the input is split");
    assertEquals(whole.events, split.events, "events depend on how the input is split");
  }

  /** Chunk sizes adding up to {@code length}: single bytes, small pieces and large ones. */
  private static int[] splits(Random random, int length) {
    List<Integer> sizes = new ArrayList<>();
    int left = length;
    while (left > 0) {
      int max =
          switch (random.nextInt(3)) {
            case 0 -> 1;
            case 1 -> 16;
            default -> 4096;
          };
      int n = Math.min(left, 1 + random.nextInt(max));
      sizes.add(n);
      left -= n;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  private record Outcome(List<WsFrame> frames, List<String> events) {}

  private static Outcome feed(boolean server, int limit, byte[] input, int[] chunks) {
    SessionConfig config = new SessionConfig(!server, limit, 1000, true);
    FrameReader reader = SessionPipeline.newFrameReader(config);
    List<WebSocketMessage> events = new ArrayList<>();
    List<Throwable> exceptions = new ArrayList<>();
    TrackingAllocator alloc = new TrackingAllocator();
    EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance(), false, false);
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast("ws-decoder", reader);
    channel.pipeline().addLast("spy", new ExceptionSpy(exceptions));
    channel.pipeline().addLast("ws-encoder", new WebSocket13FrameEncoder(!server));
    SessionPipeline.install(channel.pipeline(), new WebSocketSession(config, events::add));
    try {
      channel.register();
      channel.freezeTime();
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      int offset = 0;
      for (int n : chunks) {
        if (!channel.isOpen()) {
          break;
        }
        ByteBuf buf = alloc.heapBuffer(n).writeBytes(input, offset, n);
        offset += n;
        channel.writeInbound(buf);
        channel.runPendingTasks();
        channel.checkException();
        checkMemory(reader, limit, offset);
        drain(channel, written);
      }
      boolean closedByUs = !channel.isOpen();
      if (channel.isOpen() && !server) {
        // A client that echoed a close waits for the server to drop TCP, then drops it itself.
        channel.advanceTimeBy(config.closeTimeoutMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        drain(channel, written);
      }
      List<String> caught = CAUGHT.drain();
      assertTrue(caught.isEmpty(), "the session caught an exception: " + caught);
      assertTrue(exceptions.isEmpty(), "exceptions in the pipeline: " + exceptions);
      List<WsFrame> frames = RawFrames.decodeAll(written.toByteArray());
      try {
        checkOutcome(server, limit, events, frames, channel.isOpen(), closedByUs);
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\nlimit " + limit + ", events " + events + ", frames " + frames, e);
      }
      channel.checkException();
      List<String> outcome = events.stream().map(FrameReaderFuzzTest::describe).toList();
      return new Outcome(frames, outcome);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      channel.finishAndReleaseAll();
      alloc.assertAllReleased();
    }
  }

  private static void checkOutcome(
      boolean server,
      int limit,
      List<WebSocketMessage> events,
      List<WsFrame> frames,
      boolean open,
      boolean closedByUs) {
    List<byte[]> pings = new ArrayList<>();
    int i = 0;
    for (; i < events.size(); i++) {
      WebSocketMessage e = events.get(i);
      WebSocketMessageType type = e.type();
      if (type == WebSocketMessageType.ERROR || type == WebSocketMessageType.CLOSE) {
        break;
      }
      switch (type) {
        case MESSAGE -> {
          assertTrue(e.size() <= limit, "message over the limit of " + limit + ": " + e.size());
          if (!e.binary()) {
            assertTrue(StrictUtf8.isValid(e.bytes()), "invalid UTF-8 delivered as text");
          }
        }
        case PING, PONG -> {
          assertTrue(e.size() <= Frames.MAX_CONTROL_PAYLOAD, "control payload over 125");
          if (type == WebSocketMessageType.PING) {
            pings.add(e.bytes());
          }
        }
        case FRAGMENT -> {}
        default -> throw new AssertionError("unexpected event " + e);
      }
    }
    List<WebSocketMessage> ending = events.subList(i, events.size());
    int pongs = 0;
    for (int f = 0; f < frames.size(); f++) {
      WsFrame frame = frames.get(f);
      assertEquals(!server, frame.masked(), "a client masks its frames, a server does not");
      assertEquals(0, frame.rsv(), "reserved bits sent");
      if (frame.isClose()) {
        assertEquals(frames.size() - 1, f, "frames written after the close frame: " + frames);
        continue;
      }
      assertEquals(WsFrame.OP_PONG, frame.opcode(), "only pongs and a close are sent: " + frame);
      assertTrue(pongs < pings.size(), "a pong without a ping");
      assertTrue(Arrays.equals(pings.get(pongs), frame.payload()), "pong payload differs");
      pongs++;
    }
    WsFrame close =
        frames.isEmpty() || !frames.get(frames.size() - 1).isClose()
            ? null
            : frames.get(frames.size() - 1);
    if (close == null) {
      assertTrue(ending.isEmpty(), "ended without a close frame: " + ending);
      assertTrue(open, "dropped without a close frame");
      return;
    }
    assertFalse(open, "the connection is still open after the close frame " + close);
    boolean failed = !ending.isEmpty() && ending.get(0).type() == WebSocketMessageType.ERROR;
    assertEquals(failed ? 2 : 1, ending.size(), "events after the data: " + ending);
    WebSocketMessage last = ending.get(ending.size() - 1);
    assertEquals(WebSocketMessageType.CLOSE, last.type(), "the last event: " + last);
    if (failed) {
      // The connection was failed (RFC 6455 section 7.1.7).
      assertTrue(closedByUs, "a failed connection is dropped at once");
      assertTrue(FAILURE_CODES.contains(close.closeCode()), "close code " + close.closeCode());
      assertEquals(close.closeCode(), last.closeInfo().code(), "CLOSE event code");
      assertFalse(last.closeInfo().remote(), "we closed, not the peer");
      String reason = ending.get(0).errorInfo().reason();
      assertTrue(reason != null && !reason.isBlank(), "an ERROR without a reason");
    } else {
      // The peer's close, echoed (RFC 6455 section 5.5.1).
      int code = close.closeCode();
      assertTrue(
          code == -1 || WebSocketCloseConstants.isValidCloseCode(code), "echoed close " + code);
      assertTrue(last.closeInfo().remote(), "the peer closed");
      int expected = code == -1 ? WebSocketCloseConstants.NO_STATUS_CODE_ERROR_CODE : code;
      assertEquals(expected, last.closeInfo().code(), "CLOSE event code");
    }
  }

  /** Adds the frames written since the last call; the buffers are released. */
  private static void drain(EmbeddedChannel channel, ByteArrayOutputStream written) {
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ByteBuf buf = (ByteBuf) out;
      try {
        written.writeBytes(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }
  }

  private static final Field MESSAGE = field("message");
  private static final Field CONTROL = field("control");
  private static final Method INTERNAL_BUFFER = internalBuffer();

  /**
   * The reader holds at most the limit, never more than twice what it was sent plus its small
   * reserve ahead, and an incomplete header at most in its cumulation.
   */
  private static void checkMemory(FrameReader reader, int limit, int received) throws Exception {
    int message = ((byte[]) MESSAGE.get(reader)).length;
    int control = ((byte[]) CONTROL.get(reader)).length;
    int pending = ((ByteBuf) INTERNAL_BUFFER.invoke(reader)).readableBytes();
    assertTrue(message <= limit, "message buffer " + message + " over the limit " + limit);
    assertTrue(
        message <= 2L * received + FrameReader.RESERVE_AHEAD,
        "message buffer " + message + " after only " + received + " bytes");
    assertTrue(control <= Frames.MAX_CONTROL_PAYLOAD, "control buffer " + control);
    assertTrue(pending < 14, pending + " bytes wait in the cumulation");
  }

  private static Field field(String name) {
    try {
      Field field = FrameReader.class.getDeclaredField(name);
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method internalBuffer() {
    try {
      Method method = ByteToMessageDecoder.class.getDeclaredMethod("internalBuffer");
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(WebSocketMessage e) {
    return switch (e.type()) {
      case MESSAGE, PING, PONG ->
          e.type() + (e.binary() ? " binary " : " ") + ByteBufUtil.hexDump(e.bytes());
      case FRAGMENT -> e.type() + " " + e.binary() + " " + e.wireSize();
      case ERROR -> e.type() + " " + e.errorInfo().reason();
      case CLOSE -> e.type() + " " + e.closeInfo();
      default -> e.toString();
    };
  }

  /** Records the exceptions that reach the pipeline past the reader, and passes them on. */
  private static final class ExceptionSpy extends ChannelInboundHandlerAdapter {
    private final List<Throwable> exceptions;

    ExceptionSpy(List<Throwable> exceptions) {
      this.exceptions = exceptions;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      exceptions.add(cause);
      ctx.fireExceptionCaught(cause);
    }
  }
}
