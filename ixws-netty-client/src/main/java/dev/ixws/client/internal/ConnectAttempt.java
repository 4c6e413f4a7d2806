package dev.ixws.client.internal;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.internal.deflate.DeflateOffer;
import dev.ixws.internal.handshake.AcceptKey;
import dev.ixws.internal.handshake.UpgradeRequest;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.tls.TlsSessions;
import dev.ixws.internal.transport.Connector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client connection attempt: the connect (through the {@link Connector}), the opening handshake
 * ({@link ClientHandshakeHandler}) and the timeout that bounds both.
 *
 * <p>The whole attempt runs on one event loop; {@link #result()} completes there, exactly once,
 * after {@code onOpen} was called (on success) and before the {@code OPEN} event is emitted.
 */
public final class ConnectAttempt {

  private final ClientSpec spec;
  private final EventLoop loop;
  private final Connector connector;
  private final Consumer<WebSocketMessage> events;
  private final Consumer<WebSocketSession> onOpen;
  private final CompletableFuture<WebSocketInitResult> result = new CompletableFuture<>();
  private volatile Channel channel;
  private volatile boolean cancelled;
  private ScheduledFuture<?> timeout;

  private ConnectAttempt(
      ClientSpec spec,
      EventLoop loop,
      Connector connector,
      Consumer<WebSocketMessage> events,
      Consumer<WebSocketSession> onOpen) {
    this.spec = spec;
    this.loop = loop;
    this.connector = connector;
    this.events = events;
    this.onOpen = onOpen;
  }

  /**
   * Starts an attempt on {@code loop}, connecting through {@code connector}.
   *
   * @param events receives the session's events once open ({@code OPEN} first)
   * @param onOpen called with the new session before {@code OPEN} is emitted
   */
  public static ConnectAttempt start(
      ClientSpec spec,
      EventLoop loop,
      Connector connector,
      Consumer<WebSocketMessage> events,
      Consumer<WebSocketSession> onOpen) {
    ConnectAttempt attempt = new ConnectAttempt(spec, loop, connector, events, onOpen);
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
    if (url.secure() && spec.tls() == null) {
      fail(0, "Cannot connect to " + url.original() + ": no TLS options prepared");
      return;
    }
    if (url.secure() && spec.tls().error() != null) {
      fail(0, "Cannot connect to " + url.original() + ": " + spec.tls().error());
      return;
    }
    WebSocketHttpHeaders extraHeaders;
    try {
      extraHeaders = spec.extraHeaders().get();
    } catch (RuntimeException e) {
      fail(0, "The extra headers supplier failed: " + e);
      return;
    }
    UpgradeRequest request;
    PerMessageDeflateOptions deflate = spec.session().deflate();
    try {
      request =
          new UpgradeRequest(
              url.target(),
              url.hostHeader(),
              url.origin(),
              AcceptKey.newKey(),
              spec.subprotocols(),
              deflate.enabled() ? List.of(new DeflateOffer(deflate)) : List.of(),
              extraHeaders == null ? WebSocketHttpHeaders.EMPTY : extraHeaders);
    } catch (IllegalArgumentException e) {
      fail(0, "Invalid extra header: " + e.getMessage());
      return;
    }
    timeout =
        loop.schedule(
            () -> {
              // The result first: closing fails writes still pending (the request waiting for
              // the TLS handshake), whose listeners must find the attempt already ended.
              fail(
                  0,
                  "Handshake with "
                      + url.authority()
                      + " timed out after "
                      + spec.handshakeTimeoutMillis()
                      + " ms");
              Channel ch = channel;
              if (ch != null) {
                ch.close();
              }
            },
            spec.handshakeTimeoutMillis(),
            TimeUnit.MILLISECONDS);
    ChannelFuture connect =
        connector.connect(
            loop,
            url.host(),
            url.port(),
            new Connector.Options(
                spec.handshakeTimeoutMillis(),
                spec.localAddress(),
                url.secure() ? spec.tls() : null),
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ClientHandshakeHandler.install(ch, spec, request, events, outcome);
              }
            });
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

  // How the handshake handler reports back; all on the loop.
  private final ClientHandshakeHandler.Outcome outcome =
      new ClientHandshakeHandler.Outcome() {
        @Override
        public void opened(
            WebSocketSession session, WebSocketHttpHeaders headers, String protocol) {
          succeed(session, headers, protocol);
        }

        @Override
        public void failed(int httpStatus, String reason, WebSocketHttpHeaders headers) {
          fail(httpStatus, reason, headers);
        }

        @Override
        public boolean abandoned() {
          return cancelled || result.isDone();
        }
      };

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
    events.accept(
        WebSocketMessage.open(
            new WebSocketOpenInfo(
                target,
                headers,
                protocol,
                session.agreedDeflateOptions(),
                TlsSessions.peerCertificates(channel))));
  }
}
