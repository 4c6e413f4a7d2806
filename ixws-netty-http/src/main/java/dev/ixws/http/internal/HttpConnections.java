package dev.ixws.http.internal;

import dev.ixws.http.internal.HttpUrl.Origin;
import dev.ixws.internal.tls.TlsClient;
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
 * <p>TLS goes in one place: for an {@code https} origin the connector puts core's {@code
 * SslHandler} ({@link TlsClient#newHandler}: chain and hostname verification, SNI, the client
 * certificate, ALPN {@code http/1.1}) first in the pipeline, exactly as for a {@code wss://}
 * WebSocket; the pool hands the connection out once its handshake succeeded.
 */
final class HttpConnections {

  /** Longest status line accepted: 8 KiB. */
  static final int MAX_INITIAL_LINE_BYTES = 8192;

  /** Largest response head (all header lines) accepted: 64 KiB. */
  static final int MAX_HEADER_BYTES = 65536;

  private final Connector connector;

  HttpConnections(Connector connector) {
    this.connector = connector;
  }

  /**
   * Connects to {@code origin} on {@code loop}, over TLS with {@code tls} when it is not null (an
   * https origin); the future's channel carries the {@link ConnectionHandler} at its tail once the
   * initializer has run.
   */
  ChannelFuture connect(EventLoop loop, Origin origin, TlsClient tls, long connectTimeoutMillis) {
    return connector.connect(
        loop,
        origin.host(),
        origin.port(),
        new Connector.Options(connectTimeoutMillis, null, tls),
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            ChannelPipeline pipeline = channel.pipeline();
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
}
