package dev.ixws.client.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.internal.handshake.HeaderConversions;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.SessionPipeline;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.transport.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client connection attempt: TCP connect, the opening handshake (RFC 6455 section 4.1) and, on
 * success, the switch of the pipeline to a {@link WebSocketSession}.
 *
 * <p>The whole attempt runs on one event loop; {@link #result()} completes there, exactly once,
 * after {@code onOpen} was called (on success) and before the {@code OPEN} event is emitted.
 */
public final class ConnectAttempt {

  /** Response headers of a failed handshake are read up to this size. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final ClientSpec spec;
  private final EventLoop loop;
  private final Consumer<WebSocketMessage> events;
  private final Consumer<WebSocketSession> onOpen;
  private final CompletableFuture<WebSocketInitResult> result = new CompletableFuture<>();
  private volatile Channel channel;
  private volatile boolean cancelled;
  private ScheduledFuture<?> timeout;

  private ConnectAttempt(
      ClientSpec spec,
      EventLoop loop,
      Consumer<WebSocketMessage> events,
      Consumer<WebSocketSession> onOpen) {
    this.spec = spec;
    this.loop = loop;
    this.events = events;
    this.onOpen = onOpen;
  }

  /**
   * Starts an attempt on {@code loop}.
   *
   * @param events receives the session's events once open ({@code OPEN} first)
   * @param onOpen called with the new session before {@code OPEN} is emitted
   */
  public static ConnectAttempt start(
      ClientSpec spec,
      EventLoop loop,
      Consumer<WebSocketMessage> events,
      Consumer<WebSocketSession> onOpen) {
    ConnectAttempt attempt = new ConnectAttempt(spec, loop, events, onOpen);
    loop.execute(attempt::connect);
    return attempt;
  }

  /** Completes, on the event loop, when the attempt succeeded or failed. */
  public CompletableFuture<WebSocketInitResult> result() {
    return result;
  }

  /** Whether {@link #cancel} was called. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** Abandons the attempt: it fails with {@code reason} unless it already ended. Any thread. */
  public void cancel(String reason) {
    cancelled = true;
    loop.execute(
        () -> {
          Channel ch = channel;
          if (!result.isDone() && ch != null) {
            ch.close();
          }
          fail(0, reason);
        });
  }

  private void connect() {
    WebSocketUrl url = spec.url();
    if (cancelled) {
      return;
    }
    if (url.secure()) {
      fail(0, "Cannot connect to " + url.original() + ": TLS (wss://) is not supported yet");
      return;
    }
    HttpHeaders headers;
    try {
      headers = HeaderConversions.toNetty(spec.extraHeaders().get());
    } catch (RuntimeException e) {
      fail(0, "The extra headers supplier failed: " + e);
      return;
    }
    Handshaker handshaker = new Handshaker(url, spec, headers);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(EventLoops.transport().socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, spec.handshakeTimeoutMillis())))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast("http-codec", new HttpClientCodec(4096, MAX_HEADER_BYTES, 8192))
                        .addLast("http-aggregator", new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                        .addLast("ws-handshake", new HandshakeHandler(handshaker));
                  }
                });
    if (spec.localAddress() != null) {
      // Port 0: the system picks the local port; only the source IP is chosen.
      bootstrap.localAddress(spec.localAddress(), 0);
    }
    timeout =
        loop.schedule(
            () -> {
              Channel ch = channel;
              if (ch != null) {
                ch.close();
              }
              fail(
                  0,
                  "Handshake with "
                      + url.authority()
                      + " timed out after "
                      + spec.handshakeTimeoutMillis()
                      + " ms");
            },
            spec.handshakeTimeoutMillis(),
            TimeUnit.MILLISECONDS);
    ChannelFuture connect = bootstrap.connect(url.host(), url.port());
    channel = connect.channel();
    connect.addListener(
        (ChannelFuture future) -> {
          if (!future.isSuccess()) {
            Throwable cause = future.cause();
            fail(
                0,
                "Unable to connect to "
                    + url.host()
                    + " on port "
                    + url.port()
                    + ", error: "
                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
          }
        });
  }

  private void fail(int httpStatus, String reason) {
    fail(httpStatus, reason, WebSocketHttpHeaders.EMPTY);
  }

  private void fail(int httpStatus, String reason, WebSocketHttpHeaders headers) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    result.complete(
        new WebSocketInitResult(false, httpStatus, reason, headers, spec.url().target(), ""));
  }

  private void succeed(WebSocketSession session, WebSocketHttpHeaders headers, String protocol) {
    timeout.cancel(false);
    String target = spec.url().target();
    onOpen.accept(session);
    result.complete(new WebSocketInitResult(true, 101, "", headers, target, protocol));
    events.accept(WebSocketMessage.open(new WebSocketOpenInfo(target, headers, protocol)));
  }

  /** Netty's RFC 6455 client handshaker with our {@code FrameReader} in place of its decoder. */
  private static final class Handshaker extends WebSocketClientHandshaker13 {
    private final SessionConfig session;

    Handshaker(WebSocketUrl url, ClientSpec spec, HttpHeaders headers) {
      super(
          url.toUri(),
          WebSocketVersion.V13,
          spec.subprotocols().isEmpty() ? null : String.join(",", spec.subprotocols()),
          false,
          headers,
          spec.session().maxMessageSize(),
          true,
          false,
          -1);
      this.session = spec.session();
    }

    @Override
    protected WebSocketFrameDecoder newWebsocketDecoder() {
      return SessionPipeline.newFrameReader(session);
    }
  }

  /** Sends the upgrade request and checks the response. */
  private final class HandshakeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Handshaker handshaker;

    HandshakeHandler(Handshaker handshaker) {
      this.handshaker = handshaker;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (cancelled || result.isDone()) {
        ctx.close();
        return;
      }
      handshaker
          .handshake(ctx.channel())
          .addListener(
              (ChannelFuture future) -> {
                if (!future.isSuccess()) {
                  fail(0, "Could not send the handshake request: " + future.cause());
                  ctx.close();
                }
              });
      ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      if (result.isDone() || cancelled) {
        // cancel() may have been called on this loop before its own task ran: never open then.
        fail(0, "cancelled");
        ctx.close();
        return;
      }
      String authority = spec.url().authority();
      if (response.decoderResult().isFailure()) {
        fail(
            0,
            "Invalid HTTP response from "
                + authority
                + ": "
                + response.decoderResult().cause().getMessage());
        ctx.close();
        return;
      }
      WebSocketHttpHeaders headers = HeaderConversions.fromNetty(response.headers());
      HttpResponseStatus status = response.status();
      if (status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        fail(
            status.code(),
            "Got bad status connecting to "
                + authority
                + ", status: "
                + status.code()
                + ", HTTP Status line: "
                + response.protocolVersion()
                + " "
                + status,
            headers);
        ctx.close();
        return;
      }
      // RFC 6455 section 4.1 lets the server pick none of the offered subprotocols, and
      // IXWebSocket then opens with an empty protocol; Netty's check insists on an answer, so it is
      // shown our first offer and the application is told the truth: no protocol.
      boolean noneChosen =
          !spec.subprotocols().isEmpty()
              && !response.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
      if (noneChosen) {
        response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, spec.subprotocols().get(0));
      }
      try {
        handshaker.finishHandshake(ctx.channel(), response);
      } catch (RuntimeException e) {
        fail(101, "Invalid handshake response from " + authority + ": " + e.getMessage(), headers);
        ctx.close();
        return;
      }
      String actual = handshaker.actualSubprotocol();
      String protocol = noneChosen || actual == null ? "" : actual;
      WebSocketSession session = new WebSocketSession(spec.session(), events);
      ctx.pipeline().remove(this);
      SessionPipeline.install(ctx.pipeline(), session);
      succeed(session, headers, protocol);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(0, "Connection to " + spec.url().authority() + " closed before the handshake completed");
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(0, "Handshake with " + spec.url().authority() + " failed: " + cause.getMessage());
      ctx.close();
    }
  }
}
