package dev.ixws.internal.session;

import static dev.ixws.WebSocketCloseConstants.ABNORMAL_CLOSE_CODE;
import static dev.ixws.WebSocketCloseConstants.ABNORMAL_CLOSE_MESSAGE;
import static dev.ixws.WebSocketCloseConstants.INTERNAL_ERROR_CODE;
import static dev.ixws.WebSocketCloseConstants.NO_STATUS_CODE_ERROR_CODE;
import static dev.ixws.WebSocketCloseConstants.NO_STATUS_CODE_ERROR_MESSAGE;
import static dev.ixws.WebSocketCloseConstants.PING_TIMEOUT_MESSAGE;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.ReadyState;
import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.WebSocketTrafficStats;
import dev.ixws.internal.codec.FrameReader;
import dev.ixws.internal.codec.FrameWriter;
import dev.ixws.internal.codec.Frames;
import dev.ixws.internal.codec.MessagePayloads;
import dev.ixws.internal.deflate.DeflateParameters;
import dev.ixws.internal.deflate.MessageDeflater;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one open WebSocket connection, the same for client and server: it delivers the
 * messages its {@link FrameReader} assembled, answers pings, runs the closing handshake and funnels
 * every protocol violation the reader reports into one place that fails the connection.
 *
 * <p>It is the last handler of the pipeline, installed once the opening handshake succeeded. Every
 * event it reports goes to {@code events} on the event loop, in order; the owner dispatches them to
 * the user. The send methods are safe from any thread; everything else runs on the event loop.
 *
 * <p>The {@code CLOSE} event is reported exactly once, when the TCP connection has closed, with the
 * close code and reason that ended the connection.
 */
public final class WebSocketSession extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);

  /** RSV1 in a frame's {@code rsv()}: the message is compressed (RFC 7692 section 6). */
  private static final int RSV1 = 4;

  private final SessionConfig config;
  private final Consumer<WebSocketMessage> events;
  // Null without per-message deflate. Its monitor orders compression with the writes.
  private final MessageDeflater deflater;
  private final DeflateParameters deflate;
  private final TrafficCounters traffic = new TrafficCounters();
  // Wire bytes of compressed frames queued on the event loop and not yet written to the channel:
  // part of the buffered amount (Netty counts only what reached its outbound buffer).
  private final AtomicLong queuedCompressedBytes = new AtomicLong();
  // Written only through moveTo, on the event loop; volatile for the senders on other threads.
  private volatile SessionState state = SessionState.CONNECTING;
  private volatile Channel channel;
  private ChannelHandlerContext ctx;
  // Why the connection ends; set once, by whichever side closes first.
  private WebSocketCloseInfo closeInfo;
  // Set once a close frame is on its way out: queued compressed frames behind it are dropped.
  private boolean closeWritten;
  private ScheduledFuture<?> closeTimeout;
  private volatile Heartbeat heartbeat;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  /**
   * A session for a connection whose opening handshake is complete.
   *
   * @param events receives every message and event, on the event loop
   */
  public WebSocketSession(SessionConfig config, Consumer<WebSocketMessage> events) {
    this(config, events, null);
  }

  /**
   * A session that compresses its messages with per-message deflate, negotiated with {@code
   * deflate} (null when it was not).
   *
   * @param events receives every message and event, on the event loop
   */
  public WebSocketSession(
      SessionConfig config, Consumer<WebSocketMessage> events, DeflateParameters deflate) {
    this.config = config;
    this.events = events;
    this.deflate = deflate;
    this.deflater =
        deflate == null ? null : new MessageDeflater(deflate, config.deflate(), config.client());
  }

  // ---------------------------------------------------------------- any thread

  /** The settings this session runs with. */
  public SessionConfig config() {
    return config;
  }

  /** The per-message deflate parameters agreed on, or null when it was not negotiated. */
  public DeflateParameters deflate() {
    return deflate;
  }

  /**
   * What the application sees of the deflate agreement: the agreed parameters with this end's own
   * compression settings, or {@link PerMessageDeflateOptions#DISABLED} without deflate.
   */
  public PerMessageDeflateOptions agreedDeflateOptions() {
    return deflate == null
        ? PerMessageDeflateOptions.DISABLED
        : deflate.toOptions(config.deflate());
  }

  /** What this connection has sent and received so far. Safe from any thread. */
  public WebSocketTrafficStats trafficStats() {
    return traffic.snapshot();
  }

  /**
   * The round trip of the last heartbeat ping that was answered, in nanoseconds; -1 when none was.
   * Safe from any thread.
   */
  public long lastPingRoundTripNanos() {
    Heartbeat beat = heartbeat;
    return beat == null ? -1 : beat.lastRoundTripNanos();
  }

  /** The public state; safe from any thread. */
  public ReadyState readyState() {
    return state.readyState();
  }

  /** The detailed state; safe from any thread. */
  public SessionState state() {
    return state;
  }

  /** Sends a text message (UTF-8). Safe from any thread. */
  public WebSocketSendInfo sendText(String text) {
    Channel ch = channel;
    if (state != SessionState.OPEN || ch == null) {
      return notOpen(text.length());
    }
    if (deflater != null) {
      return writeCompressed(ch, false, Frames.utf8(ch.alloc(), text));
    }
    ByteBuf frame = FrameWriter.text(ch.alloc(), text, config.client());
    return writeFrame(ch, frame, frame.readableBytes() - headerLength(frame));
  }

  /** Sends a binary message from a copy of {@code data}. Safe from any thread. */
  public WebSocketSendInfo sendBinary(ByteBuffer data) {
    Channel ch = channel;
    if (state != SessionState.OPEN || ch == null) {
      return notOpen(data.remaining());
    }
    if (deflater != null) {
      return writeCompressed(ch, true, Frames.copy(ch.alloc(), data));
    }
    return writeFrame(ch, FrameWriter.frame(ch.alloc(), data, config.client()), data.remaining());
  }

  /** Sends a binary message from a copy of {@code data}. Safe from any thread. */
  public WebSocketSendInfo sendBinary(byte[] data) {
    Channel ch = channel;
    if (state != SessionState.OPEN || ch == null) {
      return notOpen(data.length);
    }
    if (deflater != null) {
      return writeCompressed(ch, true, Frames.copy(ch.alloc(), data));
    }
    return writeFrame(
        ch,
        FrameWriter.frame(ch.alloc(), true, data, 0, data.length, config.client()),
        data.length);
  }

  /** Sends a binary message whose bytes are the chars of {@code bytes} (ISO-8859-1). */
  public WebSocketSendInfo sendBinary(String bytes) {
    Channel ch = channel;
    if (state != SessionState.OPEN || ch == null) {
      return notOpen(bytes.length());
    }
    if (deflater != null) {
      return writeCompressed(ch, true, Frames.latin1(ch.alloc(), bytes));
    }
    return writeFrame(ch, FrameWriter.latin1(ch.alloc(), bytes, config.client()), bytes.length());
  }

  /**
   * Sends a received {@code MESSAGE} as it arrived (text as text, binary as binary): its bytes,
   * immutable, go into the frame as they are, never decoded to a string and encoded again, nor
   * wrapped or viewed first. Safe from any thread.
   */
  public WebSocketSendInfo sendMessage(WebSocketMessage message) {
    Channel ch = channel;
    if (state != SessionState.OPEN || ch == null) {
      return notOpen(message.size());
    }
    byte[] payload = MessagePayloads.payload(message);
    if (deflater != null) {
      return writeCompressed(ch, message.binary(), Unpooled.wrappedBuffer(payload).asReadOnly());
    }
    return writeFrame(
        ch,
        FrameWriter.frame(
            ch.alloc(), message.binary(), payload, 0, payload.length, config.client()),
        payload.length);
  }

  /** Sends a ping; a payload over 125 bytes is refused. Safe from any thread. */
  public WebSocketSendInfo ping(byte[] payload) {
    if (payload.length > Frames.MAX_CONTROL_PAYLOAD) {
      return refusePing(payload.length);
    }
    Channel ch = channel;
    if (state != SessionState.OPEN || ch == null) {
      return notOpen(payload.length);
    }
    return write(new PingWebSocketFrame(Frames.copy(ch.alloc(), payload)));
  }

  /** The result of a ping whose payload is over 125 bytes: refused, nothing sent. */
  public static WebSocketSendInfo refusePing(int payloadLength) {
    return WebSocketSendInfo.failed(
        payloadLength,
        "ping payload is "
            + payloadLength
            + " bytes; a control frame carries at most 125 (RFC 6455 section 5.5)");
  }

  /** Starts the closing handshake with {@code code} and {@code reason}. Safe from any thread. */
  public void close(int code, String reason) {
    Channel ch = channel;
    if (ch == null) {
      return;
    }
    String safeReason = Frames.truncateCloseReason(reason);
    if (ch.eventLoop().inEventLoop()) {
      startClose(code, safeReason, false);
    } else {
      ch.eventLoop().execute(() -> startClose(code, safeReason, false));
    }
  }

  /** Drops the TCP connection at once, without a closing handshake. Safe from any thread. */
  public void abort() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  /** Bytes queued for writing and not yet written to the socket. Safe from any thread. */
  public long bufferedAmount() {
    Channel ch = channel;
    if (ch == null) {
      return 0;
    }
    ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
    long queued = queuedCompressedBytes.get();
    return buffer == null ? queued : buffer.totalPendingWriteBytes() + queued;
  }

  /** Completes once the TCP connection is closed and the {@code CLOSE} event was emitted. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  private WebSocketSendInfo write(WebSocketFrame frame) {
    long payloadSize = frame.content().readableBytes();
    channel.writeAndFlush(frame, channel.voidPromise());
    return SendResults.sent(payloadSize, config.client());
  }

  /**
   * Sends an encoded data frame (taken over: released here or later) of {@code payloadSize} bytes.
   * On the event loop (a callback answering a message, the common case) it is counted and written
   * at once, with no object around it; the state cannot have changed since the caller checked it.
   * From another thread it travels to the loop as an {@link EncodedData}, checked again there by
   * {@link #write(ChannelHandlerContext, Object, ChannelPromise)}.
   */
  private WebSocketSendInfo writeFrame(Channel ch, ByteBuf frame, long payloadSize) {
    if (ch.eventLoop().inEventLoop()) {
      traffic.sent(payloadSize, frame.readableBytes());
      ctx.write(frame, ctx.voidPromise());
      ctx.flush(); // merged with the others of this read by flush consolidation
    } else {
      ch.writeAndFlush(new EncodedData(frame, payloadSize), ch.voidPromise());
    }
    return SendResults.sent(payloadSize, config.client());
  }

  /** The header length of a frame {@link FrameWriter} encoded: from its second byte. */
  private static int headerLength(ByteBuf frame) {
    int b1 = frame.getUnsignedByte(frame.readerIndex() + 1);
    int length7 = b1 & 0x7F;
    return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
  }

  /**
   * A data frame encoded by {@link FrameWriter} on a thread other than the event loop, on its way
   * there; reference-counted through its buffer, so that Netty releases it if the write fails.
   */
  static final class EncodedData extends DefaultByteBufHolder {
    final long payloadSize;

    EncodedData(ByteBuf frame, long payloadSize) {
      super(frame);
      this.payloadSize = payloadSize;
    }
  }

  /**
   * Compresses the message unless it is below the threshold, and queues it. Under the deflater's
   * lock, so that frames reach the wire in the order their compression used the shared context, and
   * through the event loop's task queue, even from the loop, whenever a frame is queued already: a
   * frame written at once would overtake those queued before it. On the loop with nothing queued (a
   * callback answering a message) it is written at once instead ({@link #writeNow}).
   */
  private WebSocketSendInfo writeCompressed(Channel ch, boolean binary, ByteBuf payload) {
    long payloadSize = payload.readableBytes();
    synchronized (deflater) {
      if (state != SessionState.OPEN) {
        payload.release();
        return notOpen(payloadSize);
      }
      ByteBuf wire = payload;
      int rsv = 0;
      try {
        ByteBuf compressed = deflater.compress(ch.alloc(), payload);
        if (compressed != null) {
          payload.release();
          wire = compressed;
          rsv = RSV1;
        }
      } catch (RuntimeException e) {
        payload.release();
        log.debug("compression failed", e);
        return new WebSocketSendInfo(
            false, true, payloadSize, 0, "Compression failed: " + e.getMessage());
      }
      long wireSize = Frames.wireSize(wire.readableBytes(), config.client());
      if (ch.eventLoop().inEventLoop() && queuedCompressedBytes.get() == 0 && !closeWritten) {
        // Nothing waits in the queue (every queued frame counts its bytes there, and is only
        // added under this lock): written now, the frame keeps the order of compression and of
        // this thread's messages, and costs no task.
        return writeNow(binary, wire, rsv, payloadSize, wireSize);
      }
      WebSocketFrame frame =
          binary
              ? new BinaryWebSocketFrame(true, rsv, wire)
              : new TextWebSocketFrame(true, rsv, wire);
      queuedCompressedBytes.addAndGet(wireSize);
      try {
        ch.eventLoop().execute(() -> writeQueued(frame, payloadSize, wireSize));
      } catch (RejectedExecutionException e) {
        queuedCompressedBytes.addAndGet(-wireSize);
        frame.release();
        return notOpen(payloadSize);
      }
      return WebSocketSendInfo.sent(payloadSize, wireSize);
    }
  }

  /**
   * Writes a message of a deflate session on the event loop at once (see {@link #writeCompressed}):
   * a compressed one as a frame object with RSV1 for Netty's encoder, one left uncompressed encoded
   * by {@link FrameWriter} ({@code wire} is taken over either way).
   */
  private WebSocketSendInfo writeNow(
      boolean binary, ByteBuf wire, int rsv, long payloadSize, long wireSize) {
    traffic.sent(payloadSize, wireSize);
    if (rsv == 0) {
      ByteBuf frame;
      try {
        frame = FrameWriter.frame(ctx.alloc(), binary, wire, config.client());
      } finally {
        wire.release();
      }
      ctx.write(frame, ctx.voidPromise());
    } else {
      ctx.write(
          binary
              ? new BinaryWebSocketFrame(true, rsv, wire)
              : new TextWebSocketFrame(true, rsv, wire),
          ctx.voidPromise());
    }
    ctx.flush(); // merged with the others of this read by flush consolidation
    return rsv == 0
        ? SendResults.sent(payloadSize, config.client())
        : WebSocketSendInfo.sent(payloadSize, wireSize);
  }

  /**
   * Writes a compressed message queued by {@link #writeCompressed}, unless a close frame went out
   * first (a protocol failure: nothing may follow it). From the session's own context: the state
   * may already be closing, after the message was accepted, and the close frame queues behind it.
   */
  private void writeQueued(WebSocketFrame frame, long payloadSize, long wireSize) {
    queuedCompressedBytes.addAndGet(-wireSize);
    if (closeWritten) {
      frame.release();
      return;
    }
    traffic.sent(payloadSize, wireSize);
    ctx.writeAndFlush(frame, ctx.voidPromise());
  }

  private WebSocketSendInfo notOpen(long payloadSize) {
    return SendResults.notOpen(payloadSize, readyState());
  }

  // ---------------------------------------------------------------- event loop

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    this.channel = context.channel();
    if (config.heartbeat().enabled()) {
      heartbeat = new Heartbeat(config.heartbeat(), context, this::pingTimeout);
    }
    // Installed behind a completed opening handshake: the connection is open from here.
    moveTo(SessionState.OPEN);
  }

  /**
   * The one place the state changes: checks that it is the event loop and that the transition is
   * legal (an illegal one is a bug here, never the peer's doing).
   */
  private void moveTo(SessionState next) {
    assert ctx.executor().inEventLoop() : "session state changed off its event loop";
    SessionState current = state;
    if (!current.canMoveTo(next)) {
      throw new IllegalStateException("session cannot go from " + current + " to " + next);
    }
    state = next;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof IdleStateEvent && heartbeat != null && state == SessionState.OPEN) {
      heartbeat.onIdle();
      return;
    }
    context.fireUserEventTriggered(event);
  }

  /**
   * The peer stopped answering pings: close with 1011 "Ping timeout" and drop the connection
   * without waiting for an answer that is not coming.
   */
  private void pingTimeout() {
    if (state != SessionState.OPEN) {
      return;
    }
    moveTo(SessionState.CLOSE_SENT);
    closeInfo = new WebSocketCloseInfo(INTERNAL_ERROR_CODE, PING_TIMEOUT_MESSAGE, false);
    closeWritten = true;
    ctx.writeAndFlush(new CloseWebSocketFrame(INTERNAL_ERROR_CODE, PING_TIMEOUT_MESSAGE))
        .addListener(ChannelFutureListener.CLOSE);
    // The close frame may never be written (a stalled peer, unsent data ahead of it):
    // the connection is dropped after the close timeout either way.
    scheduleCloseTimeout();
  }

  @Override
  public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
    // Data sent by the user after our close frame must not follow it on the wire (RFC 6455 5.5.1).
    if (state != SessionState.OPEN
        && (msg instanceof WebSocketFrame || msg instanceof EncodedData)) {
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
      return;
    }
    // Counted here, on the loop, so the counters have one writer. Data sent from the loop and
    // compressed messages bypass this handler (see writeFrame, writeQueued) and are counted there.
    if (msg instanceof EncodedData data) {
      ByteBuf frame = data.content();
      traffic.sent(data.payloadSize, frame.readableBytes());
      context.write(frame, promise);
      return;
    }
    context.write(msg, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (msg instanceof WebSocketMessage message) {
      switch (message.type()) {
        case PING -> onPing(message);
        case PONG -> {
          if (heartbeat != null) {
            heartbeat.onPong(message.str());
          }
          events.accept(message);
        }
        case MESSAGE -> {
          traffic.received(message.size(), message.wireSize());
          events.accept(message);
        }
        default -> events.accept(message); // FRAGMENT
      }
    } else if (msg instanceof FrameReader.Close close) {
      onClose(close);
    } else if (msg instanceof FrameReader.Violation violation) {
      fail(violation.code(), violation.reason(), violation.decompressionError());
    } else {
      context.fireChannelRead(msg);
    }
  }

  private void onPing(WebSocketMessage ping) {
    if (config.autoPong() && state == SessionState.OPEN) {
      ctx.writeAndFlush(
          new PongWebSocketFrame(Unpooled.wrappedBuffer(ping.data())), ctx.voidPromise());
    }
    events.accept(ping);
  }

  private void onClose(FrameReader.Close frame) {
    int code = frame.code();
    String reason = code == -1 ? NO_STATUS_CODE_ERROR_MESSAGE : frame.reason();
    switch (state) {
      case OPEN -> {
        // The peer starts the closing handshake: echo its code (RFC 6455 section 5.5.1).
        moveTo(SessionState.CLOSE_RECEIVED);
        closeInfo =
            new WebSocketCloseInfo(code == -1 ? NO_STATUS_CODE_ERROR_CODE : code, reason, true);
        CloseWebSocketFrame echo =
            code == -1
                ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                : new CloseWebSocketFrame(code, Frames.truncateCloseReason(reason));
        // RFC 6455 section 7.1.1: the server closes TCP first, the client waits for it. Either way
        // the connection is dropped after the close timeout, even if the echo is never written (a
        // stalled peer, unsent data ahead of it).
        closeWritten = true;
        ctx.writeAndFlush(echo)
            .addListener(
                config.client()
                    ? ChannelFutureListener.CLOSE_ON_FAILURE
                    : ChannelFutureListener.CLOSE);
        scheduleCloseTimeout();
      }
      case CLOSE_SENT -> {
        // Our close was answered: the handshake is complete. The server closes TCP now; the
        // client waits for it (the close timeout set when ours was sent still runs).
        moveTo(SessionState.CLOSE_RECEIVED);
        if (!config.client()) {
          ctx.close();
        }
      }
      default -> {
        // A second close frame is ignored.
      }
    }
  }

  private void startClose(int code, String reason, boolean remote) {
    if (state != SessionState.OPEN) {
      return;
    }
    moveTo(SessionState.CLOSE_SENT);
    closeInfo = new WebSocketCloseInfo(code, reason, remote);
    if (deflater == null) {
      writeClose(code, reason);
    } else {
      // Compressed messages accepted before this close may still wait in the loop's task queue
      // (see writeCompressed): the close frame queues behind them.
      ctx.executor().execute(() -> writeClose(code, reason));
    }
    scheduleCloseTimeout();
  }

  private void writeClose(int code, String reason) {
    closeWritten = true;
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  /** Drops the TCP connection if the closing handshake has not ended within the close timeout. */
  private void scheduleCloseTimeout() {
    if (closeTimeout != null) {
      return; // the first one set still runs
    }
    closeTimeout =
        ctx.executor()
            .schedule(
                () -> {
                  log.debug("closing handshake not finished within the close timeout; dropping");
                  ctx.close();
                },
                config.closeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
  }

  /**
   * The one funnel for protocol violations: report an error, send a close frame with {@code code}
   * (1002, 1007 or 1009) unless one was sent already, then drop the connection (RFC 6455 section
   * 7.1.7, "Fail the WebSocket Connection").
   */
  private void fail(int code, String reason, boolean decompressionError) {
    if (state == SessionState.CLOSED) {
      return;
    }
    events.accept(
        WebSocketMessage.error(new WebSocketErrorInfo(0, 0, 0, reason, decompressionError)));
    if (closeInfo == null) {
      closeInfo = new WebSocketCloseInfo(code, reason, false);
    }
    if (state == SessionState.OPEN) {
      moveTo(SessionState.CLOSE_SENT);
      closeWritten = true;
      ctx.writeAndFlush(new CloseWebSocketFrame(code, Frames.truncateCloseReason(reason)))
          .addListener(ChannelFutureListener.CLOSE);
      // The close frame may never be written (a stalled peer, unsent data ahead of it):
      // the connection is dropped after the close timeout either way.
      scheduleCloseTimeout();
    } else {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    log.debug("connection failed: {}", cause.toString());
    if (closeInfo == null) {
      closeInfo = new WebSocketCloseInfo(ABNORMAL_CLOSE_CODE, ABNORMAL_CLOSE_MESSAGE, true);
    }
    context.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (closeTimeout != null) {
      closeTimeout.cancel(false);
    }
    if (heartbeat != null) {
      heartbeat.stop();
    }
    moveTo(SessionState.CLOSED);
    if (deflater != null) {
      synchronized (deflater) {
        deflater.end(); // frees its native memory; a sender holding the lock sees CLOSED first
      }
    }
    WebSocketCloseInfo info =
        closeInfo != null
            ? closeInfo
            : new WebSocketCloseInfo(ABNORMAL_CLOSE_CODE, ABNORMAL_CLOSE_MESSAGE, true);
    events.accept(WebSocketMessage.close(info));
    closed.complete(null);
    context.fireChannelInactive();
  }

  @Override
  public String toString() {
    return "WebSocketSession[" + channel + ", " + state + "]";
  }
}
