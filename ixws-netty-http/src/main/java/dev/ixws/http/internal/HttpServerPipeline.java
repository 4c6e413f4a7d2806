package dev.ixws.http.internal;

import dev.ixws.SocketTLSOptions;
import dev.ixws.internal.tls.TlsConfigException;
import dev.ixws.internal.tls.TlsEngine;
import dev.ixws.internal.tls.TlsServer;
import dev.ixws.internal.transport.Acceptor;
import dev.ixws.internal.transport.Connector;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening socket of an {@code HttpServer} and the pipeline of each accepted connection:
 *
 * <pre>
 *   [tls-guard]    a TLS server only: PlainTextGuard answers a plain-HTTP client 400 in clear
 *   [tls]          a TLS server only: TLS_HANDLER, Netty's SslHandler (ALPN: http/1.1)
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
   * The name of the TLS handler's slot, at the head of the pipeline ({@link Acceptor} puts the
   * {@code SslHandler} there on a TLS server); a connection without it is plain, which is what lets
   * files go out as zero-copy file regions (over TLS they are read and sent in chunks).
   */
  public static final String TLS_HANDLER = Connector.TLS_HANDLER;

  /** The one ALPN protocol (RFC 7301) a TLS server accepts. */
  public static final List<String> ALPN = List.of("http/1.1");

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
  private final TlsServer tls; // null for a plain server

  private HttpServerPipeline(Acceptor.Listening listening, TlsServer tls) {
    this.listening = listening;
    this.tls = tls;
  }

  /**
   * Binds {@code host:port}; connections wait in the backlog until {@link #startAccepting()}. With
   * {@code tlsOptions.tls()} true, the certificate and key are read first and every accepted
   * connection starts with a TLS handshake bounded by the request timeout.
   *
   * @throws IllegalStateException with a readable reason when the TLS options cannot be used or the
   *     address cannot be bound
   */
  public static HttpServerPipeline bind(
      String host, int port, int backlog, HttpServerConfig config, SocketTLSOptions tlsOptions) {
    TlsServer tls = null;
    if (tlsOptions.tls()) {
      try {
        tls = TlsServer.create(tlsOptions, TlsEngine.current(), ALPN);
      } catch (TlsConfigException e) {
        throw new IllegalStateException("Invalid TLS options: " + e.getMessage(), e);
      }
    }
    AtomicInteger admitted = new AtomicInteger();
    return new HttpServerPipeline(
        Acceptor.tcp()
            .bind(
                new InetSocketAddress(host, port),
                backlog,
                tls,
                config.requestTimeoutMillis(),
                ch -> initConnection(ch, config, admitted)),
        tls);
  }

  /**
   * Replaces the TLS certificate, key and roots for the connections accepted from now on; open
   * connections keep theirs. Reads the files on the calling thread.
   *
   * @return null when done, else why not; on failure the current certificate stays
   */
  public String updateTls(SocketTLSOptions options) {
    if (tls == null) {
      return "this server listens without TLS; TLS can only be turned on before listen()";
    }
    if (!options.tls()) {
      return "TLS cannot be turned off on a listening TLS server (tls is false)";
    }
    try {
      tls.update(options);
      return null;
    } catch (TlsConfigException e) {
      return "Invalid TLS options: " + e.getMessage();
    }
  }

  /** Sets up an accepted connection's pipeline, before the channel is active. */
  static void initConnection(Channel ch, HttpServerConfig config, AtomicInteger admitted) {
    // The connection reads only when it wants a request: see ServerConnection.
    ch.config().setAutoRead(false);
    // On a TLS server the Acceptor has put the guard and the SslHandler first already.
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
