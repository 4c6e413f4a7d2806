package dev.ixws.internal.tls;

import dev.ixws.SocketTLSOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS side of a client's connections, prepared once from {@link SocketTLSOptions} when the
 * client snapshots its settings ({@code start()}/{@code connect()}), on the caller's thread: the
 * files are read there, never on an event loop. Either a context or the reason it could not be
 * made, which the connection attempt reports as its {@code ERROR}. Immutable, thread-safe.
 */
public final class TlsClient {

  private final SocketTLSOptions options;
  private final SslContext context; // null when error is set
  private final String error;

  private TlsClient(SocketTLSOptions options, SslContext context, String error) {
    this.options = options;
    this.context = context;
    this.error = error;
  }

  /** Prepares {@code options} with the engine {@link TlsEngine#current()} chooses. */
  public static TlsClient prepare(SocketTLSOptions options) {
    return prepare(options, TlsEngine.current());
  }

  /** Prepares {@code options} with {@code engine}. */
  public static TlsClient prepare(SocketTLSOptions options, TlsEngine engine) {
    return prepare(options, engine, List.of());
  }

  /**
   * Prepares {@code options} with {@code engine}, offering the ALPN protocols {@code alpn} (the
   * HTTP client: {@code http/1.1}); the one agreed is {@code SslHandler.applicationProtocol()}.
   */
  public static TlsClient prepare(SocketTLSOptions options, TlsEngine engine, List<String> alpn) {
    try {
      return new TlsClient(options, TlsContexts.client(options, engine, alpn), null);
    } catch (TlsConfigException e) {
      return new TlsClient(options, null, "Invalid TLS options: " + e.getMessage());
    }
  }

  /** The options. */
  public SocketTLSOptions options() {
    return options;
  }

  /** Why the options cannot be used, or null when they can. */
  public String error() {
    return error;
  }

  /**
   * A handler for a connection to {@code host:port}: the peer host for verification, SNI for a host
   * name (not for an IP literal, RFC 6066 section 3), and the handshake bounded by {@code
   * handshakeTimeoutMillis} (the attempt's own timer fires at the same time).
   *
   * @throws IllegalStateException when {@link #error()} is set
   */
  public SslHandler newHandler(
      ByteBufAllocator alloc, String host, int port, long handshakeTimeoutMillis) {
    if (context == null) {
      throw new IllegalStateException(error);
    }
    SslHandler handler = context.newHandler(alloc, host, port);
    SSLEngine engine = handler.engine();
    if (!HostnameCheck.isIpLiteral(host)) {
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(host)));
      engine.setSSLParameters(parameters);
    }
    handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeoutMillis));
    return handler;
  }
}
