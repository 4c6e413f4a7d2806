package dev.ixws.server.internal;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.client.WebSocket;
import dev.ixws.client.internal.AcceptedRole;
import dev.ixws.client.internal.WebSocketAccess;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.deflate.DeflateNegotiation;
import dev.ixws.internal.deflate.DeflateParameters;
import dev.ixws.internal.handshake.Extensions;
import dev.ixws.internal.handshake.HeaderConversions;
import dev.ixws.internal.handshake.HeaderTokens;
import dev.ixws.internal.session.CallbackDispatcher;
import dev.ixws.internal.session.SessionPipeline;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.tls.TlsFailures;
import dev.ixws.internal.tls.TlsSessions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
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
 * 413 for a request body over 8 KiB, 414 and 431 for an oversized request line or headers, 503
 * beyond the connection limit. A client that has not completed its handshake within the timeout is
 * dropped.
 *
 * <p>It sits right behind Netty's {@link io.netty.handler.codec.http.HttpRequestDecoder} and takes
 * the request as the decoder's parts (no aggregation). Every connection takes this path, so a
 * successful handshake costs no response object and no encoder: the {@code 101} is written as bytes
 * ({@link SwitchingResponse}), and the pipeline changes once, with the session's handlers in place
 * before the frame reader replaces the HTTP decoder (frames that came with the request then flow
 * straight to the session). Netty's response encoder is added only to refuse a request.
 */
public final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

  /** The name of the HTTP decoder this handler follows; the frame reader takes its place. */
  static final String HTTP_DECODER = "http-decoder";

  /** The largest request body accepted (and ignored): a WebSocket upgrade has none. */
  static final int MAX_BODY_BYTES = 8192;

  private final ServerSpec spec;
  private final AtomicInteger connections;
  private final ReceiveBudget budget;
  private final ConnectionListener listener;
  // Added to an active connection (an HTTP server's upgrade): channelActive will not come.
  private final boolean takeOver;
  private boolean admitted;
  private ScheduledFuture<?> timeout;
  // The request whose body is being read; null between requests.
  private HttpRequest request;
  private long bodyBytes;
  // Set once a response is on its way; whatever the client sends next is dropped.
  private boolean answered;

  /**
   * @param connections the server's count of admitted connections, shared by all handlers
   * @param budget the server's receive budget, which the connection's frame reader charges
   */
  public ServerHandshakeHandler(
      ServerSpec spec,
      AtomicInteger connections,
      ReceiveBudget budget,
      ConnectionListener listener) {
    this(spec, connections, budget, listener, false);
  }

  /**
   * A handler that takes over a connection already active ({@code takeOver}: an HTTP server's
   * upgrade), admitted and timed from when it is added rather than from channelActive.
   */
  ServerHandshakeHandler(
      ServerSpec spec,
      AtomicInteger connections,
      ReceiveBudget budget,
      ConnectionListener listener,
      boolean takeOver) {
    this.spec = spec;
    this.connections = connections;
    this.budget = budget;
    this.listener = listener;
    this.takeOver = takeOver;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    admit(ctx);
    ctx.fireChannelActive();
  }

  /** Added to a connection already active (an HTTP server's upgrade): admit it now. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (takeOver) {
      admit(ctx);
    }
  }

  private void admit(ChannelHandlerContext ctx) {
    // Admission is decided at accept time so the limit holds however many clients race in.
    if (connections.incrementAndGet() <= spec.maxConnections()) {
      admitted = true;
      // A local, not the field: a lambda that captured this handler would keep it (and its
      // cancelled timeout) alive as long as the connection, about 110 bytes per idle connection.
      AtomicInteger count = connections;
      ctx.channel().closeFuture().addListener(f -> count.decrementAndGet());
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
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject part)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (!answered) {
        onRequestPart(ctx, part);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequestPart(ChannelHandlerContext ctx, HttpObject part) {
    DecoderResult result = part.decoderResult();
    if (result.isFailure()) {
      Throwable cause = result.cause();
      HttpResponseStatus status =
          cause instanceof TooLongHttpHeaderException
              ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
              : cause instanceof TooLongHttpLineException
                  ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                  : HttpResponseStatus.BAD_REQUEST;
      reject(ctx, status, "Invalid HTTP request: " + cause.getMessage(), Map.of());
      return;
    }
    if (part instanceof HttpRequest head) {
      request = head;
      bodyBytes = 0;
    }
    if (part instanceof HttpContent content) {
      bodyBytes += content.content().readableBytes();
      if (bodyBytes > MAX_BODY_BYTES) {
        reject(
            ctx,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "A WebSocket handshake request has no body; this one exceeds "
                + MAX_BODY_BYTES
                + " bytes",
            Map.of());
        return;
      }
    }
    if (part instanceof LastHttpContent) {
      HttpRequest complete = request;
      request = null;
      answer(ctx, complete);
    }
  }

  private void answer(ChannelHandlerContext ctx, HttpRequest request) {
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
    if (!HeaderTokens.hasToken(headers.get(HttpHeaderNames.UPGRADE), "websocket")) {
      reject(
          ctx,
          HttpResponseStatus.UPGRADE_REQUIRED,
          "This is a WebSocket server: the request needs 'Upgrade: websocket'",
          upgradeRequired);
      return;
    }
    if (!HeaderTokens.hasToken(headers.get(HttpHeaderNames.CONNECTION), "upgrade")) {
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
    // RFC 6455 11.3.1: the header must not appear more than once in a request.
    if (headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY).size() > 1) {
      reject(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "'Sec-WebSocket-Key' must appear exactly once",
          Map.of());
      return;
    }
    String key = trim(headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY));
    if (!isValidKey(key)) {
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
    accept(ctx, request, key);
  }

  private void accept(ChannelHandlerContext ctx, HttpRequest request, String key) {
    cancelTimeout();
    answered = true;
    String protocol =
        selectSubprotocol(
            request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL), spec.subprotocols());
    DeflateNegotiation.Accepted deflate = negotiateDeflate(ctx, request);
    DeflateParameters agreed = deflate == null ? null : deflate.parameters();
    // Written now, flushed only once OPEN has been delivered: a client that sees the 101 is
    // already known to the application (a broadcast right after it reaches this client too),
    // and frames the OPEN callback sends queue behind the 101.
    ctx.write(
            SwitchingResponse.encode(
                ctx.alloc(), key, protocol, deflate == null ? "" : deflate.header()))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);

    AcceptedRole role =
        new AcceptedRole(CallbackDispatcher.forExecutor(spec.callbackExecutor()), spec.session());
    WebSocket webSocket = WebSocketAccess.newAccepted(role);
    WebSocketSession session = new WebSocketSession(spec.session(), role::deliver, agreed);
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addLast("ws-encoder", new WebSocket13FrameEncoder(false));
    SessionPipeline.install(pipeline, session);
    role.attach(session, request.uri(), protocol);
    List<X509Certificate> peerCertificates = TlsSessions.peerCertificates(ctx.channel());
    listener.onOpen(webSocket, role, session, ctx.channel().remoteAddress(), peerCertificates);
    role.deliver(
        WebSocketMessage.open(
            new WebSocketOpenInfo(
                request.uri(),
                HeaderConversions.fromNetty(request.headers()),
                protocol,
                session.agreedDeflateOptions(),
                peerCertificates)));
    ctx.flush();
    pipeline.remove(this);
    // The decoder hands the bytes it holds beyond the request (frames a client sent right after
    // it) to its replacement, which passes their messages on to the session installed above.
    pipeline.replace(
        HTTP_DECODER, "ws-decoder", SessionPipeline.newFrameReader(spec.session(), budget, agreed));
  }

  /**
   * The client's first acceptable per-message deflate offer and our answer (RFC 7692 section 7.1),
   * or null: none offered, none acceptable, deflate disabled, or an extension header that does not
   * parse (its offers are declined rather than the connection refused, as browsers expect).
   */
  private DeflateNegotiation.Accepted negotiateDeflate(
      ChannelHandlerContext ctx, HttpRequest request) {
    List<String> lines = request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
    if (lines.isEmpty() || !spec.session().deflate().enabled()) {
      return null;
    }
    try {
      return DeflateNegotiation.accept(Extensions.parse(lines), spec.session().deflate());
    } catch (IllegalArgumentException e) {
      log.debug(
          "{}: extensions declined, the header is malformed: {}", ctx.channel(), e.getMessage());
      return null;
    }
  }

  private void reject(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      String reason,
      Map<String, String> extraHeaders) {
    cancelTimeout();
    answered = true;
    log.debug("{}: handshake refused with {}: {}", ctx.channel(), status, reason);
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reason + "\n");
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    extraHeaders.forEach(response.headers()::set);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // Refusals are rare: the encoder joins the pipeline only for them.
    ctx.pipeline().addBefore(ctx.name(), "http-encoder", new HttpResponseEncoder());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "{}: handshake failed: {}",
        ctx.channel(),
        TlsFailures.isTls(cause) ? "TLS: " + TlsFailures.describe(cause) : cause.toString());
    ctx.close();
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  /**
   * The first subprotocol the client offers (in the order of its {@code Sec-WebSocket-Protocol}
   * headers and their comma-separated lists) that the server supports, or "" when none is.
   */
  static String selectSubprotocol(List<String> offered, List<String> supported) {
    if (supported.isEmpty()) {
      return "";
    }
    for (String header : offered) {
      for (String candidate : header.split(",")) {
        String protocol = candidate.trim();
        if (supported.contains(protocol)) {
          return protocol;
        }
      }
    }
    return "";
  }

  /** RFC 6455 section 4.2.1 item 5: a base64-encoded 16-byte value. */
  static boolean isValidKey(String key) {
    if (key == null) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key.getBytes(StandardCharsets.US_ASCII)).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
