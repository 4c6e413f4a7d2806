package dev.ixws.http.internal;

import dev.ixws.internal.transport.Acceptor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening socket of an {@code HttpServer} and the pipeline of each accepted connection:
 *
 * <pre>
 *   [tls]          TLS_HANDLER: an SslHandler goes first here once TLS lands (not yet)
 *   read-activity  notes the first byte of a request (starts the request timer)
 *   http-decoder   Netty's HttpRequestDecoder (StrictRequestDecoder): strict line parsing,
 *                  RFC 9112 framing, bounded line and headers, obsolete folding refused
 *   http-encoder   Netty's HttpResponseEncoder
 *   http-server    ServerConnection: bodies, limits, ordering, keep-alive, timers
 * </pre>
 *
 * Thread-safe.
 */
public final class HttpServerPipeline {

  /**
   * The name of the TLS handler's slot, at the head of the pipeline: the TLS work adds its {@code
   * SslHandler} under this name in {@link #initConnection}; a connection without it is plain, which
   * is what lets files go out as zero-copy file regions.
   */
  public static final String TLS_HANDLER = "tls";

  /** The activity notifier's name. */
  static final String READ_ACTIVITY = "read-activity";

  /**
   * The request decoder's name: the one {@code ServerHandshakeHandler} replaces by the frame reader
   * after a WebSocket upgrade.
   */
  static final String HTTP_DECODER = "http-decoder";

  /** The response encoder's name. */
  static final String HTTP_ENCODER = "http-encoder";

  /** The WebSocket handshake handler's name, after an upgrade request. */
  static final String WS_HANDSHAKE = "ws-handshake";

  private final Acceptor.Listening listening;

  private HttpServerPipeline(Acceptor.Listening listening) {
    this.listening = listening;
  }

  /**
   * Binds {@code host:port}; connections wait in the backlog until {@link #startAccepting()}.
   *
   * @throws IllegalStateException with a readable reason when the address cannot be bound
   */
  public static HttpServerPipeline bind(
      String host, int port, int backlog, HttpServerConfig config) {
    AtomicInteger admitted = new AtomicInteger();
    return new HttpServerPipeline(
        Acceptor.tcp()
            .bind(
                new InetSocketAddress(host, port),
                backlog,
                ch -> initConnection(ch, config, admitted)));
  }

  /** Sets up an accepted connection's pipeline, before the channel is active. */
  static void initConnection(Channel ch, HttpServerConfig config, AtomicInteger admitted) {
    // The connection reads only when it wants a request: see ServerConnection.
    ch.config().setAutoRead(false);
    // TLS: the SslHandler will be added first, as ch.pipeline().addFirst(TLS_HANDLER, ...).
    ServerConnection connection = new ServerConnection(config, admitted);
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(config.maxRequestLineBytes())
            .setMaxHeaderSize(config.maxHeaderBytes())
            .setMaxChunkSize(64 * 1024)
            // A bare LF ends no line (RFC 9112 section 2.2), which closes a smuggling path.
            .setStrictLineParsing(true)
            // Content-Length together with Transfer-Encoding is refused (RFC 9112 6.3).
            .setUseRfc9112TransferEncoding(true);
    ch.pipeline()
        .addLast(READ_ACTIVITY, new ReadActivity(connection))
        // The two halves of Netty's HttpServerCodec, with the decoder's folding check added;
        // ServerConnection does what the codec's HEAD bookkeeping did (no body, no chunking).
        .addLast(HTTP_DECODER, new StrictRequestDecoder(decoder))
        .addLast(HTTP_ENCODER, new HttpResponseEncoder())
        .addLast("http-server", connection);
  }

  /** The bound port (the chosen one when bound to port 0). */
  public int port() {
    return listening.port();
  }

  /** Starts accepting connections. */
  public void startAccepting() {
    listening.startAccepting();
  }

  /** Stops listening and frees the port; accepted connections stay open. */
  public void close() {
    listening.close();
  }

  /** Drops every accepted connection still open, waiting at most {@code timeoutMillis}. */
  public void dropConnections(long timeoutMillis) {
    listening.dropConnections(timeoutMillis);
  }

  /** Tells the connection that bytes arrived, before the codec decodes them. */
  private static final class ReadActivity extends ChannelInboundHandlerAdapter {
    private final ServerConnection connection;

    ReadActivity(ServerConnection connection) {
      this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf && buf.isReadable()) {
        connection.bytesArrived();
      }
      ctx.fireChannelRead(msg);
    }
  }
}
