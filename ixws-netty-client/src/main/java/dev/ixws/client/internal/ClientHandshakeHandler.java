package dev.ixws.client.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessage;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.deflate.DeflateOffer;
import dev.ixws.internal.deflate.DeflateParameters;
import dev.ixws.internal.handshake.ClientHandshakeCheck;
import dev.ixws.internal.handshake.Extensions;
import dev.ixws.internal.handshake.HeaderConversions;
import dev.ixws.internal.handshake.UpgradeRequest;
import dev.ixws.internal.session.SessionPipeline;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.tls.TlsFailures;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client's side of the opening handshake (RFC 6455 section 4.1) on one channel: writes the
 * upgrade request ({@link UpgradeRequest}) when the channel becomes active, checks the response
 * ({@link ClientHandshakeCheck}) as soon as its head is decoded and, on success, switches the
 * pipeline to a {@link WebSocketSession}. It knows nothing of sockets or timers, so the same
 * pipeline runs over TCP, over Netty's local transport in the in-memory tests, and in fuzz targets.
 * Confined to the channel's event loop.
 *
 * <p>The pipeline is Netty's {@link HttpResponseDecoder} (HTTP's parser, with its bugs already
 * found) and this handler; the request goes out as bytes, so no HTTP encoder is ever added. The
 * response is never aggregated: a refusal or a broken {@code 101} fails the connection at its head,
 * without waiting for a body that may never end. On success the session's handlers are added first,
 * then the {@code FrameReader} replaces the decoder, which hands over the bytes it holds beyond the
 * response: frames that came in the same TCP segment as the {@code 101} reach the session, in
 * order, right after {@code OPEN}.
 */
public final class ClientHandshakeHandler extends ChannelInboundHandlerAdapter {

  /** The name of the HTTP decoder; the frame reader takes its place. */
  static final String HTTP_DECODER = "http-decoder";

  private static final int MAX_STATUS_LINE_BYTES = 4096;
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
  private final UpgradeRequest request;
  private final Consumer<WebSocketMessage> events;
  private final Outcome outcome;
  // The valid 101 whose end (its LastHttpContent, which follows at once) switches the pipeline.
  private HttpResponse accepted;
  private String protocol;
  // The per-message deflate parameters the server accepted; null when it did not.
  private DeflateParameters deflate;
  // Set once the handshake failed: whatever the server sends next is dropped.
  private boolean done;

  private ClientHandshakeHandler(
      ClientSpec spec, UpgradeRequest request, Consumer<WebSocketMessage> events, Outcome outcome) {
    this.spec = spec;
    this.request = request;
    this.events = events;
    this.outcome = outcome;
  }

  /**
   * Builds the handshake pipeline on {@code channel}, before it is active: Netty's HTTP response
   * decoder (status line up to 4 KiB, headers up to 16 KiB) and this handler.
   *
   * @param request the upgrade request to send
   * @param events receives the session's events once open
   */
  public static void install(
      Channel channel,
      ClientSpec spec,
      UpgradeRequest request,
      Consumer<WebSocketMessage> events,
      Outcome outcome) {
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_STATUS_LINE_BYTES)
            .setMaxHeaderSize(MAX_HEADER_BYTES);
    channel
        .pipeline()
        .addLast(HTTP_DECODER, new HttpResponseDecoder(config))
        .addLast("ws-handshake", new ClientHandshakeHandler(spec, request, events, outcome));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (outcome.abandoned()) {
      ctx.close();
      return;
    }
    ctx.writeAndFlush(request.encode(ctx.alloc()))
        .addListener(
            (ChannelFuture future) -> {
              if (!future.isSuccess() && !done) {
                // Over TLS the request waits for the TLS handshake, so its failure lands here.
                Throwable cause = future.cause();
                fail(
                    ctx,
                    0,
                    TlsFailures.isTls(cause)
                        ? failure(cause)
                        : "Could not send the handshake request: " + cause,
                    WebSocketHttpHeaders.EMPTY);
              }
            });
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject part)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (done) {
        return;
      }
      if (part.decoderResult().isFailure()) {
        fail(
            ctx,
            0,
            "Invalid HTTP response from "
                + spec.url().authority()
                + ": "
                + part.decoderResult().cause().getMessage(),
            WebSocketHttpHeaders.EMPTY);
        return;
      }
      if (part instanceof HttpResponse head) {
        onHead(ctx, head);
      }
      if (!done && accepted != null && part instanceof LastHttpContent) {
        open(ctx);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Checks the response as soon as its head is decoded (RFC 6455 section 4.1). */
  private void onHead(ChannelHandlerContext ctx, HttpResponse response) {
    if (outcome.abandoned()) {
      // cancel() may have been called on this loop before its own task ran: never open then.
      fail(ctx, 0, "cancelled", WebSocketHttpHeaders.EMPTY);
      return;
    }
    String authority = spec.url().authority();
    WebSocketHttpHeaders headers = HeaderConversions.fromNetty(response.headers());
    int status = response.status().code();
    if (status != 101) {
      // IXWebSocket's wording, which applications match on.
      fail(
          ctx,
          status,
          "Got bad status connecting to "
              + authority
              + ", status: "
              + status
              + ", HTTP Status line: "
              + response.protocolVersion()
              + " "
              + response.status(),
          headers);
      return;
    }
    ClientHandshakeCheck.Result check =
        ClientHandshakeCheck.check(request.offer(), status, response.headers()::getAll);
    if (!check.ok()) {
      fail(
          ctx,
          101,
          "Invalid handshake response from " + authority + ": " + check.detail(),
          headers);
      return;
    }
    // A 101 carrying Sec-WebSocket-Accept has no body: its LastHttpContent is already decoded
    // and comes next, in this same read. The pipeline switches then, with the decoder done.
    accepted = response;
    protocol = check.protocol();
    deflate = agreedDeflate(check.extensions());
  }

  /** What the accepted extensions (already checked against the offer) agree on for deflate. */
  private DeflateParameters agreedDeflate(List<Extensions.Extension> accepted) {
    for (Extensions.Extension extension : accepted) {
      for (Extensions.Offer offer : request.extensions()) {
        if (offer instanceof DeflateOffer deflateOffer
            && extension.name().equals(deflateOffer.name())) {
          return deflateOffer.parameters(extension);
        }
      }
    }
    return null;
  }

  private void open(ChannelHandlerContext ctx) {
    done = true;
    WebSocketHttpHeaders headers = HeaderConversions.fromNetty(accepted.headers());
    WebSocketSession session = new WebSocketSession(spec.session(), events, deflate);
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addLast("ws-encoder", new WebSocket13FrameEncoder(true));
    SessionPipeline.install(pipeline, session);
    // OPEN is emitted before any frame of the server's reaches the session.
    outcome.opened(session, headers, protocol);
    pipeline.remove(this);
    // The decoder hands the bytes it holds beyond the response (frames the server sent right
    // behind its 101) to its replacement, which passes their messages on to the session.
    pipeline.replace(
        HTTP_DECODER,
        "ws-decoder",
        SessionPipeline.newFrameReader(spec.session(), ReceiveBudget.UNLIMITED, deflate));
  }

  private void fail(
      ChannelHandlerContext ctx, int status, String reason, WebSocketHttpHeaders headers) {
    done = true;
    outcome.failed(status, reason, headers);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      done = true;
      outcome.failed(
          0,
          "Connection to " + spec.url().authority() + " closed before the handshake completed",
          WebSocketHttpHeaders.EMPTY);
    }
    ctx.fireChannelInactive();
  }

  /** The reason for a failure {@code cause}: TLS ones in {@link TlsFailures}' words. */
  private String failure(Throwable cause) {
    String authority = spec.url().authority();
    if (TlsFailures.isTls(cause)) {
      boolean sentCertificate = spec.tls() != null && spec.tls().options().hasCertAndKey();
      return "TLS handshake with "
          + authority
          + " failed: "
          + TlsFailures.describe(cause, sentCertificate);
    }
    return "Handshake with " + authority + " failed: " + cause.getMessage();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (done) {
      ctx.close();
      return;
    }
    fail(ctx, 0, failure(cause), WebSocketHttpHeaders.EMPTY);
  }
}
