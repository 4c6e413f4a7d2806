package dev.ixws.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import dev.ixws.testkit.fuzz.CaughtExceptions;
import dev.ixws.testkit.fuzz.Fuzzing;
import dev.ixws.testkit.internal.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target: the server's handling of a client's opening handshake, the production pipeline of an
 * accepted connection ({@link ServerListener#initHandshake}: Netty's HTTP request decoder and our
 * {@link ServerHandshakeHandler}) on an {@link EmbeddedChannel}, fed hostile request bytes (and
 * frames after the request) split at points drawn from the input's hash. For every input:
 *
 * <ul>
 *   <li>no exception reaches the pipeline ({@code checkException()}, nothing logged by an {@code
 *       exceptionCaught});
 *   <li>every buffer allocated is released (a tracking allocator, and the paranoid leak detector);
 *   <li>the outcome is a {@code 101} whose accept key matches the request's key (then an {@code
 *       OPEN} event, and the frames after the request are handled as the frame reader target
 *       checks: only pongs and a close with 1000-4999), or an HTTP error in {400, 405, 413, 414,
 *       426, 431, 503} with {@code Connection: close} and the channel closed, or nothing yet and
 *       the channel dropped at the handshake timeout.
 * </ul>
 *
 * <p>Corpus: {@code src/test/resources/dev/ixws/server/internal/ServerHandshakeFuzzTestInputs/}.
 */
class ServerHandshakeFuzzTest {

  private static final long HANDSHAKE_TIMEOUT_MILLIS = 5000;
  private static final Set<Integer> REFUSALS = Set.of(400, 405, 413, 414, 426, 431, 503);
  private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

  private static final CaughtExceptions CAUGHT =
      CaughtExceptions.install(
          e ->
              e.getMessage().equals("{}: handshake failed: {}")
                  || e.getMessage().equals("connection failed: {}")
                  || e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN),
          "dev.ixws.server.internal.ServerHandshakeHandler",
          "dev.ixws.internal.session.WebSocketSession",
          "dev.ixws.internal.session.CallbackDispatcher");

  @Test
  void everyRequestIsAnsweredWithA101OrAnHttpErrorOrDroppedAtTheTimeout() {
    Fuzzing.run(
        "server-handshake",
        Fuzzing.corpus(getClass(), "ServerHandshakeFuzzTestInputs/fuzzRequest"),
        Long.MAX_VALUE,
        ServerHandshakeFuzzTest::check);
  }

  @FuzzTest
  void fuzzRequest(byte[] input) {
    check(input);
  }

  static void check(byte[] input) {
    Random random = new Random(Arrays.hashCode(input));
    List<WebSocketMessage> events = new ArrayList<>();
    TrackingAllocator alloc = new TrackingAllocator();
    ServerSpec spec =
        new ServerSpec(
            1000,
            HANDSHAKE_TIMEOUT_MILLIS,
            List.of("chat", "superchat"),
            new SessionConfig(false, 4096, 1000, true),
            null);
    ConnectionListener listener =
        (webSocket, role, session, remote) -> webSocket.setOnMessageCallback(events::add);
    Accepted channel = new Accepted();
    channel.config().setAllocator(alloc);
    ServerListener.initHandshake(
        channel,
        spec,
        new AtomicInteger(),
        new ReceiveBudget("server", spec.maxPendingReceiveBytes()),
        listener);
    try {
      channel.register();
      channel.freezeTime();
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      int offset = 0;
      while (offset < input.length && channel.isOpen()) {
        int n = Math.min(input.length - offset, 1 + random.nextInt(random.nextBoolean() ? 8 : 512));
        channel.writeInbound(alloc.heapBuffer(n).writeBytes(input, offset, n));
        offset += n;
        channel.runPendingTasks();
        channel.checkException();
        drain(channel, written);
      }
      boolean openBeforeTimeout = channel.isOpen();
      channel.advanceTimeBy(HANDSHAKE_TIMEOUT_MILLIS + 1, TimeUnit.MILLISECONDS);
      channel.runPendingTasks();
      drain(channel, written);
      List<String> caught = CAUGHT.drain();
      assertTrue(caught.isEmpty(), "an exception reached a handler: " + caught);
      channel.checkException();
      checkOutcome(written.toByteArray(), events, openBeforeTimeout, channel.isOpen());
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      channel.finishAndReleaseAll();
      alloc.assertAllReleased();
    }
  }

  private static void checkOutcome(
      byte[] written, List<WebSocketMessage> events, boolean openBeforeTimeout, boolean open) {
    if (written.length == 0) {
      assertTrue(events.isEmpty(), "events without a response: " + events);
      assertFalse(open, "a client that never completes its handshake is dropped at the timeout");
      return;
    }
    int end = indexOf(written, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertTrue(end > 0, "the response is not an HTTP head");
    HttpHead head = HttpHead.parse(new String(written, 0, end, StandardCharsets.ISO_8859_1));
    byte[] rest = Arrays.copyOfRange(written, end + 4, written.length);
    int status = head.status();
    if (status != 101) {
      assertTrue(REFUSALS.contains(status), "status " + head.startLine());
      assertEquals("close", head.header("Connection"), "a refusal closes the connection");
      assertFalse(openBeforeTimeout, "a refused connection is closed at once");
      assertTrue(events.isEmpty(), "events after a refusal: " + events);
      return;
    }
    assertFalse(events.isEmpty(), "a 101 without an OPEN event");
    WebSocketMessage opened = events.get(0);
    assertEquals(WebSocketMessageType.OPEN, opened.type(), "first event " + opened);
    // Repeated headers arrive joined with ", "; the server answers the first key (RFC 6455
    // section 11.3.1 forbids a second one, which the server tolerates).
    String key = opened.openInfo().headers().get("Sec-WebSocket-Key").split(",")[0];
    assertEquals(
        RawWebSocketClient.acceptFor(key.trim()),
        head.header("Sec-WebSocket-Accept"),
        "accept value for key '" + key + "'");
    String protocol = head.header("Sec-WebSocket-Protocol");
    assertEquals(
        opened.openInfo().protocol().isEmpty() ? null : opened.openInfo().protocol(),
        protocol,
        "subprotocol");
    List<WsFrame> frames = RawFrames.decodeAll(rest);
    for (int i = 0; i < frames.size(); i++) {
      WsFrame frame = frames.get(i);
      assertFalse(frame.masked(), "a server does not mask");
      if (frame.isClose()) {
        assertEquals(frames.size() - 1, i, "frames after the close: " + frames);
        int code = frame.closeCode();
        assertTrue(code == -1 || (code >= 1000 && code <= 4999), "close code " + code);
        assertFalse(openBeforeTimeout, "the server drops TCP after its close frame");
      } else {
        assertEquals(WsFrame.OP_PONG, frame.opcode(), "only pongs and a close: " + frame);
      }
    }
    if (openBeforeTimeout) {
      assertTrue(
          events.stream().noneMatch(e -> e.type() == WebSocketMessageType.CLOSE),
          "CLOSE reported while open");
    }
  }

  private static int indexOf(byte[] bytes, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= bytes.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (bytes[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

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

  /** An unregistered embedded channel with a TCP peer address, as the server reads it. */
  private static final class Accepted extends EmbeddedChannel {
    Accepted() {
      super(DefaultChannelId.newInstance(), false, false);
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return REMOTE;
    }
  }
}
