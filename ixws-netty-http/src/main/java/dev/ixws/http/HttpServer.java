package dev.ixws.http;

import dev.ixws.ListenResult;
import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.client.WebSocket;
import dev.ixws.http.internal.CallbackPool;
import dev.ixws.http.internal.HttpServerConfig;
import dev.ixws.http.internal.HttpServerPipeline;
import dev.ixws.http.internal.RequestHandler;
import dev.ixws.http.internal.StaticFiles;
import dev.ixws.internal.transport.EventLoops;
import dev.ixws.server.OnClientMessageCallback;
import dev.ixws.server.OnConnectionCallback;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.internal.EmbeddedUpgrades;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server: IXWebSocket's {@code ix::HttpServer}.
 *
 * <p>Create it with a port (and optionally host, backlog, connection limit and timeout), set a
 * callback with {@link #setOnConnectionCallback} (or {@link #setOnAsyncConnectionCallback}), then
 * {@link #listen()}, {@link #start()}, and block in {@link #awaitStop()} (IX's {@code wait()}) or
 * go on; {@link #stop()} frees the port and closes every connection. Without a callback the server
 * is IX's default: a file server for the working directory ({@link
 * #setDefaultConnectionCallback()}).
 *
 * <p>Unlike IXWebSocket's server, which answers one request per connection, this one speaks
 * HTTP/1.1 properly: keep-alive by default, pipelined requests answered in order, {@code
 * Connection: close} and HTTP/1.0 honoured, chunked request bodies, {@code Expect: 100-continue},
 * HEAD, {@code Date} and {@code Content-Length} (or chunked) on every response, gzip when the
 * client accepts it and the body is text of at least 1 KiB. Limits answer with the right status and
 * close: request line (414), headers (431), body (413), malformed or smuggling-prone framing or an
 * HTTP/1.1 request without exactly one {@code Host} (400), a request not received within the
 * timeout (408), a client beyond {@code maxConnections} (503). An idle keep-alive connection is
 * closed after {@link #setIdleTimeout}; a response that makes no progress for the timeout (a client
 * that stopped reading) is dropped.
 *
 * <p>TLS ({@code https://}, and {@code wss://} for WebSocket upgrades on the same port) is turned
 * on with {@link #setTLSOptions}; see there.
 *
 * <p>Threading: every method is safe from any thread; setters take effect at {@link #listen()}.
 * Callbacks run on the callback executor (by default the server's own pool of at most {@code
 * maxConnections} daemon threads, see {@link #setCallbackExecutor}), never on an event loop, so
 * they may block; the requests of one connection are handled one at a time, in order; requests of
 * different connections run concurrently. The I/O runs on the shared {@link dev.ixws.NetSystem}
 * event loops.
 */
public final class HttpServer {

  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  /** IX's {@code kDefaultPort}. */
  public static final int DEFAULT_PORT = 8080;

  /** IX's {@code kDefaultHost}: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** IX's {@code kDefaultTcpBacklog}. */
  public static final int DEFAULT_TCP_BACKLOG = 5;

  /** IX's {@code kDefaultMaxConnections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  /** IX's {@code HttpServer::kDefaultTimeoutSecs}: the time to receive one request. */
  public static final int DEFAULT_TIMEOUT_SECS = 30;

  /** How long an idle keep-alive connection is kept, in seconds. Not in IXWebSocket. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECS = 60;

  /** The longest request line accepted, in bytes (414 beyond). */
  public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;

  /** The largest header block accepted, in bytes (431 beyond). */
  public static final int DEFAULT_MAX_HEADER_BYTES = 8192;

  /** The largest request body accepted, in bytes: 16 MiB (413 beyond). */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

  private final int requestedPort;
  private final String host;
  private final int backlog;
  private final int maxConnections;
  private final int timeoutSecs;

  private final Object lock = new Object();
  // Settings, guarded by lock.
  private RequestHandler handler;
  private Executor callbackExecutor;
  private int idleTimeoutSecs = DEFAULT_IDLE_TIMEOUT_SECS;
  private int maxRequestLineBytes = DEFAULT_MAX_REQUEST_LINE_BYTES;
  private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private boolean compression = true;
  private SocketTLSOptions tlsOptions = SocketTLSOptions.defaults();
  // Lifecycle, guarded by lock.
  private HttpServerPipeline listener;
  private CallbackPool ownExecutor;
  private boolean stopped;

  private final CountDownLatch stopLatch = new CountDownLatch(1);
  // The WebSocket side of the port: its settings, callbacks and clients; it binds no port.
  private final WebSocketServer webSockets;
  private boolean webSocketsEnabled;

  /** A server on port 8080 of 127.0.0.1. */
  public HttpServer() {
    this(DEFAULT_PORT);
  }

  /** A server on {@code port} of 127.0.0.1; port 0 picks a free port, see {@link #getPort()}. */
  public HttpServer(int port) {
    this(port, DEFAULT_HOST);
  }

  /** A server on {@code port} of {@code host} (e.g. {@code "0.0.0.0"} for every interface). */
  public HttpServer(int port, String host) {
    this(port, host, DEFAULT_TCP_BACKLOG, DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT_SECS);
  }

  /**
   * A server with IX's constructor parameters (IX's address family aside: it follows the host).
   *
   * @param backlog the TCP listen backlog
   * @param maxConnections connections beyond this many are answered 503 and closed
   * @param timeoutSecs the time to receive a whole request from its first byte (408 then), and the
   *     longest a response write may make no progress before the connection is dropped
   */
  public HttpServer(int port, String host, int backlog, int maxConnections, int timeoutSecs) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (backlog < 1 || maxConnections < 1 || timeoutSecs < 1) {
      throw new IllegalArgumentException(
          "backlog, maxConnections and timeoutSecs must be positive");
    }
    this.requestedPort = port;
    this.host = Objects.requireNonNull(host, "host");
    this.backlog = backlog;
    this.maxConnections = maxConnections;
    this.timeoutSecs = timeoutSecs;
    this.webSockets =
        new WebSocketServer(
            0, host, backlog, maxConnections, WebSocketServer.DEFAULT_HANDSHAKE_TIMEOUT_SECS);
    setDefaultConnectionCallback();
  }

  // ------------------------------------------------------------------ callbacks

  /**
   * Sets the callback that answers every request (IX's {@code setOnConnectionCallback}); it
   * replaces any callback set before. See {@link OnHttpConnectionCallback} for its threading.
   */
  public void setOnConnectionCallback(OnHttpConnectionCallback callback) {
    Objects.requireNonNull(callback, "callback");
    setHandler(
        (request, state) ->
            CompletableFuture.completedFuture(callback.onConnection(request, state)));
  }

  /**
   * Sets an asynchronous callback that answers every request with a future; it replaces any
   * callback set before. Not in IXWebSocket.
   */
  public void setOnAsyncConnectionCallback(OnAsyncHttpConnectionCallback callback) {
    Objects.requireNonNull(callback, "callback");
    setHandler(callback::onConnection);
  }

  /**
   * IX's default callback: serves the files of the working directory. See {@link
   * #setDefaultConnectionCallback(Path)}.
   */
  public void setDefaultConnectionCallback() {
    setDefaultConnectionCallback(Path.of(""));
  }

  /**
   * Serves the files under {@code root} (IX's default callback, which serves the working
   * directory): GET and HEAD (405 otherwise), {@code /} as {@code /index.html}, a content type from
   * the extension, {@code Last-Modified} and {@code ETag} with 304 for {@code If-Modified-Since}
   * and {@code If-None-Match}, byte ranges with {@code If-Range} (206; several ranges as one {@code
   * multipart/byteranges} 206; 416 when unsatisfiable), files streamed without being read into
   * memory. Nothing outside {@code root} is served: {@code ..} in any encoding, backslashes, NUL
   * bytes and symbolic links that lead out all get 404 (IXWebSocket's own server has no such
   * check). The root is resolved when this method is called.
   *
   * @throws IllegalArgumentException when {@code root} is not a directory
   */
  public void setDefaultConnectionCallback(Path root) {
    StaticFiles files = new StaticFiles(root);
    setOnConnectionCallback((request, state) -> files.serve(request));
  }

  /**
   * IX's {@code makeRedirectServer}: every request is answered {@code 301} with {@code Location:
   * redirectUrl} (the same URL whatever the path, as in IX), except POST, which gets an empty 200;
   * each request is logged at INFO.
   */
  public void makeRedirectServer(String redirectUrl) {
    String location = Objects.requireNonNull(redirectUrl, "redirectUrl");
    WebSocketHttpHeaders.builder().set("Location", location); // validates CR/LF now
    setOnConnectionCallback(
        (request, state) -> {
          logRequest(request, state);
          if (request.method().equals("POST")) {
            return new HttpResponse(200, "OK", HttpErrorCode.OK, WebSocketHttpHeaders.EMPTY, "");
          }
          return new HttpResponse(
              301,
              "OK",
              HttpErrorCode.OK,
              WebSocketHttpHeaders.builder().set("Location", location).build(),
              "");
        });
  }

  /**
   * IX's {@code makeDebugServer}: logs each request's line, headers and body at INFO and answers
   * {@code 200} with the body {@code "OK"}.
   */
  public void makeDebugServer() {
    setOnConnectionCallback(
        (request, state) -> {
          logRequest(request, state);
          StringBuilder text = new StringBuilder("== Headers ==\n");
          request
              .headers()
              .forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
          text.append("== Body ==\n").append(request.body());
          LOG.info("{}", text);
          return new HttpResponse(200, "OK", HttpErrorCode.OK, WebSocketHttpHeaders.EMPTY, "OK");
        });
  }

  private static void logRequest(HttpRequest request, HttpConnectionState state) {
    LOG.info(
        "{}:{} {} {} {}",
        state.getRemoteIp(),
        state.getRemotePort(),
        request.method(),
        request.headers().getOrDefault("User-Agent", ""),
        request.uri());
  }

  // ------------------------------------------------------------------ WebSockets

  /**
   * Accepts WebSocket upgrades on this server's port and hands each client to {@code callback},
   * exactly as {@link WebSocketServer#setOnConnectionCallback} does (IX's {@code
   * setOnConnectionCallback} of {@code WebSocketServer}): same handshake checks (400, 405, 426 for
   * a bad upgrade), same session engine, per-message deflate accepted by default, callbacks on the
   * connection's event loop (do not block there). Once this or {@link #setOnClientMessageCallback}
   * is set, a request with {@code Upgrade: websocket} becomes a WebSocket connection; before, it
   * goes to the HTTP callback like any request. Takes effect at {@link #listen()}. WebSocket
   * clients count towards {@code maxConnections}; {@link #stop()} closes them with 1001.
   */
  public void setOnWebSocketConnectionCallback(OnConnectionCallback callback) {
    webSockets.setOnConnectionCallback(callback);
    synchronized (lock) {
      webSocketsEnabled = true;
    }
  }

  /**
   * Accepts WebSocket upgrades on this server's port with one callback for every client's messages,
   * as {@link WebSocketServer#setOnClientMessageCallback}; see {@link
   * #setOnWebSocketConnectionCallback}.
   */
  public void setOnClientMessageCallback(OnClientMessageCallback callback) {
    webSockets.setOnClientMessageCallback(callback);
    synchronized (lock) {
      webSocketsEnabled = true;
    }
  }

  /**
   * Declares a subprotocol the WebSocket side supports, as {@link WebSocketServer#addSubprotocol}.
   * Takes effect at {@link #listen()}.
   */
  public void addSubprotocol(String subprotocol) {
    webSockets.addSubprotocol(subprotocol);
  }

  /**
   * Declines every per-message deflate offer of WebSocket clients, as {@link
   * WebSocketServer#disablePerMessageDeflate}. Takes effect at {@link #listen()}.
   */
  public void disablePerMessageDeflate() {
    webSockets.disablePerMessageDeflate();
  }

  /**
   * Sets what the WebSocket side accepts of per-message deflate offers, as {@link
   * WebSocketServer#setPerMessageDeflateOptions}. Takes effect at {@link #listen()}.
   */
  public void setPerMessageDeflateOptions(PerMessageDeflateOptions options) {
    webSockets.setPerMessageDeflateOptions(options);
  }

  /**
   * Sets the largest WebSocket message accepted, in bytes, as {@link
   * WebSocketServer#setMaxMessageSize} (default 256 MiB). Takes effect at {@link #listen()}.
   */
  public void setMaxMessageSize(int maxMessageSizeBytes) {
    webSockets.setMaxMessageSize(maxMessageSizeBytes);
  }

  /**
   * Runs a heartbeat on every WebSocket connection, as {@link WebSocketServer#setPingInterval}.
   * Takes effect at {@link #listen()}.
   */
  public void setPingInterval(int pingIntervalSecs) {
    webSockets.setPingInterval(pingIntervalSecs);
  }

  /**
   * Runs the WebSocket callbacks on {@code executor} instead of the event loops, as {@link
   * WebSocketServer#setCallbackExecutor}; the HTTP callbacks have their own {@link
   * #setCallbackExecutor}. Takes effect at {@link #listen()}.
   */
  public void setWebSocketCallbackExecutor(Executor executor) {
    webSockets.setCallbackExecutor(executor);
  }

  /** The WebSocket clients connected now through upgrades on this port (a copy). */
  public Set<WebSocket> getWebSocketClients() {
    return webSockets.getClients();
  }

  private void setHandler(RequestHandler requestHandler) {
    synchronized (lock) {
      handler = requestHandler;
    }
  }

  // ------------------------------------------------------------------ settings

  /**
   * Runs the callbacks on {@code executor} instead of the server's own pool; {@code null} restores
   * the default (a pool of at most {@code maxConnections} daemon threads, created at {@link
   * #listen()} and shut down by {@link #stop()}). A request that the executor rejects is answered
   * 503. Not in IXWebSocket.
   */
  public void setCallbackExecutor(Executor executor) {
    synchronized (lock) {
      callbackExecutor = executor;
    }
  }

  /** Sets how long an idle keep-alive connection waits for its next request, in seconds (≥ 1). */
  public void setIdleTimeout(int idleTimeoutSecs) {
    if (idleTimeoutSecs < 1) {
      throw new IllegalArgumentException("idle timeout must be positive");
    }
    synchronized (lock) {
      this.idleTimeoutSecs = idleTimeoutSecs;
    }
  }

  /** Sets the largest request body accepted, in bytes; a larger one is answered 413 and closed. */
  public void setMaxBodySize(long maxBodyBytes) {
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("max body size must not be negative");
    }
    synchronized (lock) {
      this.maxBodyBytes = maxBodyBytes;
    }
  }

  /** Sets the longest request line accepted, in bytes; a longer one is answered 414 and closed. */
  public void setMaxRequestLineLength(int maxRequestLineBytes) {
    if (maxRequestLineBytes < 64) {
      throw new IllegalArgumentException("max request line must be at least 64 bytes");
    }
    synchronized (lock) {
      this.maxRequestLineBytes = maxRequestLineBytes;
    }
  }

  /** Sets the largest header block accepted, in bytes; a larger one is answered 431 and closed. */
  public void setMaxHeaderSize(int maxHeaderBytes) {
    if (maxHeaderBytes < 64) {
      throw new IllegalArgumentException("max header size must be at least 64 bytes");
    }
    synchronized (lock) {
      this.maxHeaderBytes = maxHeaderBytes;
    }
  }

  /**
   * Turns gzip compression of responses on (the default) or off. When on, a byte body of at least 1
   * KiB with a textual content type, status 200 and no {@code Content-Encoding} of its own is
   * gzipped for a client whose {@code Accept-Encoding} allows gzip, if that makes it smaller.
   * Streaming bodies (files, streams) are never compressed.
   */
  public void setCompressionEnabled(boolean enabled) {
    synchronized (lock) {
      compression = enabled;
    }
  }

  /**
   * Sets the TLS options (IX's {@code setTLSOptions}). With {@link SocketTLSOptions#tls()} true the
   * server speaks only TLS ({@code https://}, and {@code wss://} for the upgrades on the same
   * port): {@code certFile} and {@code keyFile} are required (an encrypted key needs {@code
   * keyPassword}), and a {@code caFile} other than {@code SYSTEM} or {@code NONE} requires every
   * client to present a certificate signed by those roots (mutual TLS; the verified chain is on
   * {@link HttpConnectionState#getPeerCertificates()} for HTTP requests and on the WebSocket's
   * {@code ConnectionState}). ALPN: {@code http/1.1} is accepted; a client that offers no ALPN, or
   * only other protocols, is served HTTP/1.1 all the same. A plain-HTTP client on the TLS port gets
   * a plain-text 400 saying so. Files are served over TLS too, read and encrypted in 64 KiB pieces
   * (zero-copy file regions only on plain connections). The handshake must complete within the
   * request timeout. Before {@link #listen()}, takes effect there, which fails with the reason when
   * the options cannot be used; on a listening TLS server it rotates the certificate as {@link
   * #updateTLSOptions} does (a failure is logged and the old certificate stays).
   *
   * @throws NullPointerException if {@code options} is null
   */
  public void setTLSOptions(SocketTLSOptions options) {
    Objects.requireNonNull(options, "options");
    HttpServerPipeline bound;
    synchronized (lock) {
      bound = listener;
      if (bound == null) {
        tlsOptions = options;
      }
    }
    if (bound != null) {
      ListenResult result = updateTLSOptions(options);
      if (!result.ok()) {
        LOG.warn(
            "{}: TLS options not applied, the current certificate stays: {}",
            this,
            result.errorMessage());
      }
    }
  }

  /** The TLS options set with {@link #setTLSOptions} (IX's defaults, tls off, until set). */
  public SocketTLSOptions getTLSOptions() {
    synchronized (lock) {
      return tlsOptions;
    }
  }

  /**
   * Replaces the certificate, key and trusted roots of a listening TLS server without a restart:
   * the files are read again on the calling thread, connections accepted from then on use the new
   * ones, open connections keep theirs. Not in IXWebSocket.
   *
   * @return ok, or not ok with the reason (bad options, not listening, not a TLS server); on
   *     failure the current certificate stays
   */
  public ListenResult updateTLSOptions(SocketTLSOptions options) {
    Objects.requireNonNull(options, "options");
    HttpServerPipeline bound;
    synchronized (lock) {
      bound = listener;
    }
    if (bound == null) {
      return new ListenResult(false, "the server is not listening: use setTLSOptions()");
    }
    String error = bound.updateTls(options);
    if (error != null) {
      return new ListenResult(false, error);
    }
    synchronized (lock) {
      tlsOptions = options;
    }
    return new ListenResult(true, "");
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Binds the port. Connections queue in the backlog until {@link #start()}.
   *
   * @return ok, or not ok with the reason (address in use, bad host, already called)
   */
  public ListenResult listen() {
    HttpServerConfig config;
    SocketTLSOptions tls;
    CallbackPool own = null;
    synchronized (lock) {
      tls = tlsOptions;
      if (listener != null || stopped) {
        return new ListenResult(false, "listen() was already called on this server");
      }
      Executor executor = callbackExecutor;
      if (executor == null) {
        own = newPool(maxConnections);
        executor = own;
      }
      config =
          new HttpServerConfig(
              maxConnections,
              maxRequestLineBytes,
              maxHeaderBytes,
              maxBodyBytes,
              timeoutSecs * 1000L,
              idleTimeoutSecs * 1000L,
              compression,
              executor,
              handler,
              webSocketsEnabled ? EmbeddedUpgrades.prepare(webSockets) : null);
    }
    HttpServerPipeline bound;
    try {
      bound = HttpServerPipeline.bind(host, requestedPort, backlog, config, tls);
    } catch (IllegalStateException e) {
      if (own != null) {
        own.shutdown();
      }
      return new ListenResult(false, e.getMessage());
    }
    synchronized (lock) {
      listener = bound;
      ownExecutor = own;
    }
    return new ListenResult(true, "");
  }

  private static CallbackPool newPool(int threads) {
    return new CallbackPool(threads, 30, TimeUnit.SECONDS, "ixws-http-server");
  }

  /** Starts accepting connections (IX's {@code start()}); returns at once. */
  public void start() {
    HttpServerPipeline bound;
    synchronized (lock) {
      bound = listener;
    }
    if (bound == null) {
      throw new IllegalStateException("call listen() before start()");
    }
    bound.startAccepting();
  }

  /**
   * Blocks until {@link #stop()} is called: IX's {@code wait()}, which Java reserves for {@link
   * Object#wait()}; the same name as {@code WebSocketServer.awaitStop()}.
   */
  public void awaitStop() throws InterruptedException {
    stopLatch.await();
  }

  /** Blocks until {@link #stop()} is called or the timeout passes; true if stopped. */
  public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
    return stopLatch.await(timeout, unit);
  }

  /**
   * Stops the server: frees the port, closes every connection (responses in progress are cut),
   * shuts the server's own callback pool down and wakes {@link #awaitStop()}. Idempotent. Called
   * from an event loop it returns at once and stops the server from another thread.
   */
  public void stop() {
    if (EventLoops.inEventLoop()) {
      Thread stopper = new Thread(this::stop, "ixws-http-server-stop");
      stopper.setDaemon(true);
      stopper.start();
      return;
    }
    HttpServerPipeline bound;
    CallbackPool own;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      bound = listener;
      own = ownExecutor;
    }
    if (bound != null) {
      bound.close();
    }
    // Closes the WebSocket clients with 1001 and waits for their closing handshakes.
    webSockets.stop();
    if (bound != null) {
      bound.dropConnections(2000);
    }
    if (own != null) {
      own.shutdown();
    }
    stopLatch.countDown();
  }

  // ------------------------------------------------------------------ state

  /**
   * The port listened on (the chosen one when constructed with 0), or 0 before {@link #listen()}.
   */
  public int getPort() {
    synchronized (lock) {
      return listener == null ? 0 : listener.port();
    }
  }

  /** The host the server binds to. */
  public String getHost() {
    return host;
  }

  /** The connection limit. */
  public int getMaxConnections() {
    return maxConnections;
  }

  @Override
  public String toString() {
    return "HttpServer[" + host + ":" + getPort() + "]";
  }
}
