package dev.ixws.internal.tls;

import dev.ixws.SocketTLSOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS side of a client's connections, prepared once from {@link SocketTLSOptions} when the
 * client snapshots its settings ({@code start()}/{@code connect()}), on the caller's thread: the
 * files are read there, never on an event loop. Either a context or the reason it could not be
 * made, which the connection attempt reports as its {@code ERROR}. Immutable, thread-safe. Prepared
 * contexts are shared by equal options (and unchanged files), up to 64 of them.
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
    // A context per start() would load the trust store each time (and a native SSL_CTX with
    // BoringSSL): thousands of clients with the same options share one. The key holds the files'
    // modification times, so a renewed client certificate or CA bundle is read again.
    CacheKey key = new CacheKey(options, engine, List.copyOf(alpn), fileStamps(options));
    TlsClient cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    TlsClient prepared;
    try {
      prepared = new TlsClient(options, TlsContexts.client(options, engine, alpn), null);
    } catch (TlsConfigException e) {
      // Not cached: a missing file may appear before the next attempt.
      return new TlsClient(options, null, "Invalid TLS options: " + e.getMessage());
    }
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear(); // rare: many distinct options; simplest bound
    }
    TlsClient raced = CACHE.putIfAbsent(key, prepared);
    return raced == null ? prepared : raced;
  }

  private static final int CACHE_LIMIT = 64;
  private static final ConcurrentMap<CacheKey, TlsClient> CACHE = new ConcurrentHashMap<>();

  private record CacheKey(
      SocketTLSOptions options, TlsEngine engine, List<String> alpn, List<Long> stamps) {}

  /** The last-modified times of the options' files (0 for in-memory PEM and special values). */
  private static List<Long> fileStamps(SocketTLSOptions options) {
    List<Long> stamps = new ArrayList<>(3);
    for (String value : List.of(options.certFile(), options.keyFile(), options.caFile())) {
      long stamp = 0;
      if (!value.isEmpty()
          && !Pem.isInMemory(value)
          && !value.equals(SocketTLSOptions.CA_FILE_SYSTEM)
          && !value.equals(SocketTLSOptions.CA_FILE_NONE)) {
        try {
          stamp = Files.getLastModifiedTime(Path.of(value)).toMillis();
        } catch (IOException | InvalidPathException e) {
          stamp = -1;
        }
      }
      stamps.add(stamp);
    }
    return stamps;
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
      // SNI has no trailing dot (RFC 6066 section 3); a name the JDK refuses as an SNI host name
      // (one with an underscore, say) is sent without SNI rather than failing the connection.
      String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
      try {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(name)));
        engine.setSSLParameters(parameters);
      } catch (IllegalArgumentException e) {
        // No SNI for this name.
      }
    }
    handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeoutMillis));
    return handler;
  }
}
