package dev.ixws.server.internal;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.client.internal.ServerSideAccess;
import dev.ixws.internal.CallbackDispatcher;
import dev.ixws.internal.HeaderConversions;
import dev.ixws.internal.SessionConfig;
import dev.ixws.internal.SessionPipeline;
import dev.ixws.internal.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a client's opening handshake (RFC 6455 section 4.2.1), answers it, and switches the
 * pipeline to a {@link WebSocketSession}. A request that is not a valid upgrade gets a plain HTTP
 * error and the connection is closed: 400 for a malformed request, 405 for a method other than GET,
 * 426 (with {@code Sec-WebSocket-Version: 13}) for a missing upgrade or another protocol version,
 * 431 for oversized headers, 503 beyond the connection limit. A client that has not completed its
 * handshake within the timeout is dropped.
 */
public final class ServerHandshakeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

  private final ServerSpec spec;
  private final AtomicInteger connections;
  private final ConnectionListener listener;
  private boolean admitted;
  // True while accept() runs; frames read in that window wait in early.
  private boolean accepting;
  private final ArrayDeque<Object> early = new ArrayDeque<>();
  private ScheduledFuture<?> timeout;

  /**
   * @param connections the server's count of admitted connections, shared by all handlers
   */
  public ServerHandshakeHandler(
      ServerSpec spec, AtomicInteger connections, ConnectionListener listener) {
    this.spec = spec;
    this.connections = connections;
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Admission is decided at accept time so the limit holds however many clients race in.
    if (connections.incrementAndGet() <= spec.maxConnections()) {
      admitted = true;
      ctx.channel().closeFuture().addListener(f -> connections.decrementAndGet());
    } else {
      connections.decrementAndGet();
    }
    timeout =
        ctx.executor()
            .schedule(
                () -> {
                  log.debug("{}: no handshake within the timeout; dropping", ctx.channel());
                  ctx.close();
                },
                spec.handshakeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    ctx.fireChannelInactive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      HttpResponseStatus status =
          cause instanceof TooLongHttpHeaderException
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : cause instanceof TooLongHttpLineException
                  ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                  : HttpResponseStatus.BAD_REQUEST;
      reject(ctx, status, "Invalid HTTP request: " + cause.getMessage(), Map.of());
      return;
    }
    if (!admitted) {
      reject(
          ctx,
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "Too many connections: the server accepts at most " + spec.maxConnections(),
          Map.of());
      return;
    }
    HttpHeaders headers = request.headers();
    if (!HttpMethod.GET.equals(request.method())) {
      reject(
          ctx,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          "A WebSocket handshake must use GET",
          Map.of("Allow", "GET"));
      return;
    }
    Map<String, String> upgradeRequired =
        Map.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Version", "13");
    if (!hasToken(headers.get(HttpHeaderNames.UPGRADE), "websocket")) {
      reject(
          ctx,
          HttpResponseStatus.UPGRADE_REQUIRED,
          "This is a WebSocket server: the request needs 'Upgrade: websocket'",
          upgradeRequired);
      return;
    }
    if (!hasToken(headers.get(HttpHeaderNames.CONNECTION), "upgrade")) {
      reject(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "The 'Connection' header must contain 'Upgrade'",
          Map.of());
      return;
    }
    if (!"13".equals(trim(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION)))) {
      reject(
          ctx,
          HttpResponseStatus.UPGRADE_REQUIRED,
          "Unsupported WebSocket version '"
              + headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION)
              + "': only 13 is supported",
          upgradeRequired);
      return;
    }
    if (!isValidKey(headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
      reject(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "'Sec-WebSocket-Key' must be the base64 encoding of 16 bytes",
          Map.of());
      return;
    }
    if (!headers.contains(HttpHeaderNames.HOST)) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "The 'Host' header is missing", Map.of());
      return;
    }
    accept(ctx, request);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (accepting) {
      // Bytes that arrived with the request are decoded into frames while the handshaker swaps
      // the decoder, before the session exists: hold them until it does.
      early.add(msg);
      return;
    }
    super.channelRead(ctx, msg);
  }

  private void accept(ChannelHandlerContext ctx, FullHttpRequest request) {
    cancelTimeout();
    accepting = true;
    Handshaker handshaker =
        new Handshaker(
            "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(),
            spec.subprotocols().isEmpty() ? null : String.join(",", spec.subprotocols()),
            spec.session());
    // Writes the 101 and puts the frame codec in front of the HTTP codec, which it removes
    // once the response is flushed.
    handshaker
        .handshake(ctx.channel(), request)
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    String protocol =
        handshaker.selectedSubprotocol() == null ? "" : handshaker.selectedSubprotocol();

    ServerSideAccess.Handle handle =
        ServerSideAccess.newAccepted(new CallbackDispatcher(spec.callbackExecutor()));
    WebSocketSession session = new WebSocketSession(spec.session(), handle::deliver);
    SessionPipeline.install(ctx.pipeline(), session);
    handle.attach(session, request.uri());
    listener.onOpen(handle, session, (InetSocketAddress) ctx.channel().remoteAddress());
    handle.deliver(
        WebSocketMessage.open(
            new WebSocketOpenInfo(
                request.uri(), HeaderConversions.fromNetty(request.headers()), protocol)));
    accepting = false;
    Object held;
    while ((held = early.poll()) != null) {
      if (held instanceof HeldFailure failure) {
        ctx.fireExceptionCaught(failure.cause());
      } else {
        ctx.fireChannelRead(held);
      }
    }
    ctx.pipeline().remove(this);
  }

  private void reject(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      String reason,
      Map<String, String> extraHeaders) {
    cancelTimeout();
    log.debug("{}: handshake refused with {}: {}", ctx.channel(), status, reason);
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reason + "\n");
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    extraHeaders.forEach(response.headers()::set);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (accepting) {
      early.add(new HeldFailure(cause)); // kept in order with the early frames, for the session
      return;
    }
    if (cause instanceof TooLongFrameException) {
      reject(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, cause.getMessage(), Map.of());
      return;
    }
    log.debug("{}: handshake failed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private record HeldFailure(Throwable cause) {}

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  /** Whether the comma-separated {@code value} contains {@code token}, ignoring case. */
  static boolean hasToken(String value, String token) {
    if (value == null) {
      return false;
    }
    for (String part : value.split(",")) {
      if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
        return true;
      }
    }
    return false;
  }

  /** RFC 6455 section 4.2.1 item 5: a base64-encoded 16-byte value. */
  static boolean isValidKey(String key) {
    if (key == null) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key.trim().getBytes(StandardCharsets.US_ASCII)).length
          == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }

  /** Netty's RFC 6455 server handshaker with our {@code FrameReader} in place of its decoder. */
  private static final class Handshaker extends WebSocketServerHandshaker13 {
    private final SessionConfig session;

    Handshaker(String url, String subprotocols, SessionConfig session) {
      super(
          url,
          subprotocols,
          WebSocketDecoderConfig.newBuilder().build()); // unused: no Netty decoder
      this.session = session;
    }

    @Override
    protected WebSocketFrameDecoder newWebsocketDecoder() {
      return SessionPipeline.newFrameReader(session);
    }
  }
}
