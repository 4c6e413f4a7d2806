package dev.ixws.http.internal;

import dev.ixws.http.internal.HttpUrl.Origin;
import dev.ixws.internal.transport.Connector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * Opens the HTTP client's connections through core's {@link Connector} (asynchronous DNS, the
 * shared event loops) and builds their pipeline:
 *
 * <pre>
 *   [TLS: SslHandler, see addTransportSecurity]  HeadLineCheck  HttpClientCodec  WireCounter
 *   HttpContentDecompressor  ConnectionHandler
 * </pre>
 *
 * <p>{@link #addTransportSecurity} is the single place where TLS goes: it must put an {@code
 * SslHandler} first in the pipeline for {@code https} origins. Until the TLS work lands, https
 * requests are refused before any connection is made ({@link #TLS_UNAVAILABLE}).
 */
final class HttpConnections {

  /** Why an https request fails for now. */
  static final String TLS_UNAVAILABLE =
      "TLS is not available yet in ixws-netty's HTTP client: https URLs cannot be requested";

  /** Longest status line accepted: 8 KiB. */
  static final int MAX_INITIAL_LINE_BYTES = 8192;

  /** Largest response head (all header lines) accepted: 64 KiB. */
  static final int MAX_HEADER_BYTES = 65536;

  private final Connector connector;

  HttpConnections(Connector connector) {
    this.connector = connector;
  }

  /** Whether connections to {@code origin} can be made (false for https until TLS lands). */
  static boolean canConnect(Origin origin) {
    return !origin.scheme().equals("https");
  }

  /**
   * Connects to {@code origin} on {@code loop}; the future's channel carries the {@link
   * ConnectionHandler} at its tail once the initializer has run.
   */
  ChannelFuture connect(EventLoop loop, Origin origin, long connectTimeoutMillis) {
    return connector.connect(
        loop,
        origin.host(),
        origin.port(),
        new Connector.Options(connectTimeoutMillis, null),
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            ChannelPipeline pipeline = channel.pipeline();
            addTransportSecurity(pipeline, origin);
            HttpDecoderConfig config =
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                    .setMaxHeaderSize(MAX_HEADER_BYTES)
                    // Differing Content-Lengths are an error (RFC 9112 section 6.3 item 5).
                    .setAllowDuplicateContentLengths(false);
            pipeline.addLast("head-line-check", new HeadLineCheck());
            pipeline.addLast("http-codec", new HttpClientCodec(config, false, false));
            pipeline.addLast("wire-counter", new WireCounter());
            // Lenient deflate: raw deflate (no zlib wrapper), as some servers send, is accepted
            // too. No allocation bound here: the exchange bounds the decoded body as it arrives.
            pipeline.addLast("decompressor", new HttpContentDecompressor(false, 0));
            pipeline.addLast("connection", new ConnectionHandler());
          }
        });
  }

  /**
   * The one place where TLS will be added: an {@code SslHandler} for {@code origin} first in the
   * pipeline when it is https. Nothing to do for http; https never gets here yet ({@link
   * #canConnect}).
   */
  private static void addTransportSecurity(ChannelPipeline pipeline, Origin origin) {
    if (origin.scheme().equals("https")) {
      throw new IllegalStateException(TLS_UNAVAILABLE);
    }
  }
}
