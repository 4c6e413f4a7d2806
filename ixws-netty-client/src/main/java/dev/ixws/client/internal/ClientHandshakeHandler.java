package dev.ixws.client.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessage;
import dev.ixws.internal.handshake.HeaderConversions;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.SessionPipeline;
import dev.ixws.internal.session.WebSocketSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
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
import java.util.function.Consumer;

/**
 * The client's side of the opening handshake (RFC 6455 section 4.1) on one channel: sends the
 * upgrade request when the channel becomes active, checks the response and, on success, switches
 * the pipeline to a {@link WebSocketSession}. It knows nothing of sockets or timers, so the same
 * pipeline runs over TCP, over Netty's local transport in the in-memory tests, and in fuzz targets.
 * Confined to the channel's event loop.
 */
public final class ClientHandshakeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

  /** Response headers of a failed handshake are read up to this size. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /** How the handshake ends; called at most once, on the event loop. */
  public interface Outcome {
    /** The handshake succeeded and {@code session} is installed; the callee emits {@code OPEN}. */
    void opened(WebSocketSession session, WebSocketHttpHeaders headers, String protocol);

    /** The handshake failed with {@code reason} and the HTTP status (0 when there was none). */
    void failed(int httpStatus, String reason, WebSocketHttpHeaders headers);

    /** Whether the attempt was abandoned (cancelled, timed out): it must not open any more. */
    boolean abandoned();
  }

  private final ClientSpec spec;
  private final Handshaker handshaker;
  private final Consumer<WebSocketMessage> events;
  private final Outcome outcome;

  private ClientHandshakeHandler(
      ClientSpec spec, HttpHeaders headers, Consumer<WebSocketMessage> events, Outcome outcome) {
    this.spec = spec;
    this.handshaker = new Handshaker(spec, headers);
    this.events = events;
    this.outcome = outcome;
  }

  /**
   * Builds the handshake pipeline on {@code channel}, before it is active: Netty's HTTP client
   * codec (headers bounded to 16 KiB, a failed response's body to 64 KiB) and this handler.
   *
   * @param headers the extra handshake headers
   * @param events receives the session's events once open
   */
  public static void install(
      Channel channel,
      ClientSpec spec,
      HttpHeaders headers,
      Consumer<WebSocketMessage> events,
      Outcome outcome) {
    channel
        .pipeline()
        .addLast("http-codec", new HttpClientCodec(4096, MAX_HEADER_BYTES, 8192))
        .addLast("http-aggregator", new HttpObjectAggregator(MAX_RESPONSE_BYTES))
        .addLast("ws-handshake", new ClientHandshakeHandler(spec, headers, events, outcome));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (outcome.abandoned()) {
      ctx.close();
      return;
    }
    handshaker
        .handshake(ctx.channel())
        .addListener(
            (ChannelFuture future) -> {
              if (!future.isSuccess()) {
                outcome.failed(
                    0,
                    "Could not send the handshake request: " + future.cause(),
                    WebSocketHttpHeaders.EMPTY);
                ctx.close();
              }
            });
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    if (outcome.abandoned()) {
      // cancel() may have been called on this loop before its own task ran: never open then.
      outcome.failed(0, "cancelled", WebSocketHttpHeaders.EMPTY);
      ctx.close();
      return;
    }
    String authority = spec.url().authority();
    if (response.decoderResult().isFailure()) {
      fail(
          ctx,
          0,
          "Invalid HTTP response from "
              + authority
              + ": "
              + response.decoderResult().cause().getMessage(),
          WebSocketHttpHeaders.EMPTY);
      return;
    }
    WebSocketHttpHeaders headers = HeaderConversions.fromNetty(response.headers());
    HttpResponseStatus status = response.status();
    if (status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      fail(
          ctx,
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
      fail(
          ctx,
          101,
          "Invalid handshake response from " + authority + ": " + e.getMessage(),
          headers);
      return;
    }
    String actual = handshaker.actualSubprotocol();
    String protocol = noneChosen || actual == null ? "" : actual;
    WebSocketSession session = new WebSocketSession(spec.session(), events);
    ctx.pipeline().remove(this);
    SessionPipeline.install(ctx.pipeline(), session);
    outcome.opened(session, headers, protocol);
  }

  private void fail(
      ChannelHandlerContext ctx, int status, String reason, WebSocketHttpHeaders headers) {
    outcome.failed(status, reason, headers);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    outcome.failed(
        0,
        "Connection to " + spec.url().authority() + " closed before the handshake completed",
        WebSocketHttpHeaders.EMPTY);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(
        ctx,
        0,
        "Handshake with " + spec.url().authority() + " failed: " + cause.getMessage(),
        WebSocketHttpHeaders.EMPTY);
  }

  /** Netty's RFC 6455 client handshaker with our {@code FrameReader} in place of its decoder. */
  private static final class Handshaker extends WebSocketClientHandshaker13 {
    private final SessionConfig session;

    Handshaker(ClientSpec spec, HttpHeaders headers) {
      super(
          spec.url().toUri(),
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
}
