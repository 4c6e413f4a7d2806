package dev.ixws.internal.tls;

import dev.ixws.SocketTLSOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * The TLS side of a server's accepted connections: the context made from {@link SocketTLSOptions},
 * replaceable while the server runs ({@link #update}) so a certificate can be rotated without a
 * restart: connections accepted afterwards use the new one, open connections keep theirs.
 * Thread-safe: the context is a volatile reference read once per accepted connection.
 */
public final class TlsServer {

  private final TlsEngine engine;
  private final List<String> alpn;
  private volatile SslContext context;
  private volatile SocketTLSOptions options;

  private TlsServer(
      TlsEngine engine, List<String> alpn, SslContext context, SocketTLSOptions options) {
    this.engine = engine;
    this.alpn = List.copyOf(alpn);
    this.context = context;
    this.options = options;
  }

  /**
   * A server context for {@code options} with the engine {@link TlsEngine#current()} chooses.
   *
   * @throws TlsConfigException with the reason the options cannot be used
   */
  public static TlsServer create(SocketTLSOptions options) throws TlsConfigException {
    return create(options, TlsEngine.current(), List.of());
  }

  /**
   * A server context for {@code options} with {@code engine}, accepting the ALPN protocols {@code
   * alpn} (the HTTP server: {@code http/1.1}); empty for none.
   *
   * @throws TlsConfigException with the reason the options cannot be used
   */
  public static TlsServer create(SocketTLSOptions options, TlsEngine engine, List<String> alpn)
      throws TlsConfigException {
    return new TlsServer(engine, alpn, TlsContexts.server(options, engine, alpn), options);
  }

  /**
   * Replaces the certificate, key and roots with those of {@code newOptions} (files read again),
   * for connections accepted from now on. On failure the current context stays.
   *
   * @throws TlsConfigException with the reason the new options cannot be used
   */
  public void update(SocketTLSOptions newOptions) throws TlsConfigException {
    SslContext fresh = TlsContexts.server(newOptions, engine, alpn);
    synchronized (this) {
      context = fresh;
      options = newOptions;
    }
  }

  /** The options in use. */
  public SocketTLSOptions options() {
    return options;
  }

  /** The engine the contexts are made with. */
  public TlsEngine engine() {
    return engine;
  }

  /** A handler for one accepted connection, its handshake bounded by {@code timeoutMillis}. */
  public SslHandler newHandler(ByteBufAllocator alloc, long timeoutMillis) {
    SslHandler handler = context.newHandler(alloc);
    handler.setHandshakeTimeoutMillis(Math.max(1, timeoutMillis));
    return handler;
  }
}
