package dev.ixws.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.deflate.DeflateParameters;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WebSocketSession} in an {@link EmbeddedChannel} whose pipeline matches production (our
 * frame reader and Netty's encoder as the handshakers install them, then {@link
 * SessionPipeline#install}): a test feeds raw bytes in and reads the exact frames written out and
 * the events the session emitted.
 */
final class SessionChannel {

  final SessionConfig config;
  final EmbeddedChannel channel;
  final WebSocketSession session;
  final List<WebSocketMessage> events = new ArrayList<>();

  SessionChannel(SessionConfig config) {
    this(config, ReceiveBudget.UNLIMITED);
  }

  /** As {@link #SessionChannel(SessionConfig)}, its reader charging {@code budget}. */
  SessionChannel(SessionConfig config, ReceiveBudget budget) {
    this(config, budget, null);
  }

  /**
   * As {@link #SessionChannel(SessionConfig)}, with per-message deflate negotiated with {@code
   * deflate} (null: not negotiated) and compressing as {@code config.deflate()} says.
   */
  SessionChannel(SessionConfig config, ReceiveBudget budget, DeflateParameters deflate) {
    this.config = config;
    channel =
        new EmbeddedChannel(
            SessionPipeline.newFrameReader(config, budget, deflate),
            new WebSocket08FrameEncoder(config.client()));
    // Time moves only when a test advances it, so timeouts and heartbeats fire exactly on cue.
    channel.freezeTime();
    session = new WebSocketSession(config, events::add, deflate);
    SessionPipeline.install(channel.pipeline(), session);
  }

  /**
   * A session of the {@code client} or server end with a 1 MiB limit, auto pong and per-message
   * deflate negotiated with {@code deflate}, compressing as {@code options} say.
   */
  static SessionChannel deflating(
      boolean client, DeflateParameters deflate, PerMessageDeflateOptions options) {
    return new SessionChannel(
        new SessionConfig(client, 1 << 20, 1000, true, HeartbeatConfig.OFF, options),
        ReceiveBudget.UNLIMITED,
        deflate);
  }

  /** A server-side session (expects masked frames) with a 1 MiB limit and auto pong. */
  static SessionChannel server() {
    return new SessionChannel(new SessionConfig(false, 1 << 20, 1000, true));
  }

  /** A client-side session (expects unmasked frames) with a 1 MiB limit and auto pong. */
  static SessionChannel client() {
    return new SessionChannel(new SessionConfig(true, 1 << 20, 1000, true));
  }

  /** Whether frames from the peer must be masked: a server's peer is a client. */
  boolean peerMasks() {
    return !config.client();
  }

  /** Feeds the frames as they would come from a well-behaved peer (masked toward a server). */
  void feedFromPeer(WsFrame... frames) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (WsFrame frame : frames) {
      WsFrame masked =
          new WsFrame(frame.fin(), frame.rsv(), frame.opcode(), peerMasks(), frame.payload());
      bytes.writeBytes(RawFrames.encode(masked));
    }
    feed(bytes.toByteArray());
  }

  /** Feeds the frames exactly as given (masking included). */
  void feedRaw(WsFrame... frames) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (WsFrame frame : frames) {
      bytes.writeBytes(RawFrames.encode(frame));
    }
    feed(bytes.toByteArray());
  }

  /** Feeds raw bytes as one read. */
  void feed(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    channel.runPendingTasks();
  }

  /** Every frame written since the last call, decoded; the buffers are released. */
  List<WsFrame> written() {
    channel.runPendingTasks();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ByteBuf buf = (ByteBuf) out;
      try {
        bytes.writeBytes(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }
    return RawFrames.decodeAll(bytes.toByteArray());
  }

  /** Asserts that exactly one frame, a close frame, was written, and returns it. */
  WsFrame writtenClose() {
    List<WsFrame> frames = written();
    assertEquals(1, frames.size(), "frames written: " + frames);
    assertTrue(frames.get(0).isClose(), "not a close frame: " + frames.get(0));
    return frames.get(0);
  }

  /** The events of the given type, in order. */
  List<WebSocketMessage> events(WebSocketMessageType type) {
    return events.stream().filter(e -> e.type() == type).toList();
  }

  /**
   * Asserts that the connection was failed with {@code code}: one close frame with that code was
   * written, the channel closed, and the events were an ERROR then a local CLOSE with the code.
   */
  void assertFailedWith(int code) {
    WsFrame close = writtenClose();
    assertEquals(code, close.closeCode(), "close code sent; reason: " + close.closeReason());
    assertEquals(config.client(), close.masked(), "a client masks its frames, a server does not");
    assertTrue(!channel.isOpen(), "the connection must be dropped after a protocol error");
    List<WebSocketMessageType> types = events.stream().map(WebSocketMessage::type).toList();
    assertEquals(List.of(WebSocketMessageType.ERROR, WebSocketMessageType.CLOSE), types, "events");
    assertEquals(code, events.get(1).closeInfo().code(), "CLOSE event code");
    assertEquals(false, events.get(1).closeInfo().remote(), "we closed, not the peer");
  }
}
