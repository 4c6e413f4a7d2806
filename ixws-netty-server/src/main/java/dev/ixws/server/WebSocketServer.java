package dev.ixws.server;

import dev.ixws.ListenResult;
import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketCloseConstants;
import dev.ixws.client.WebSocket;
import dev.ixws.client.internal.AcceptedRole;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.SessionSettings;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.transport.EventLoops;
import dev.ixws.server.internal.ConnectionListener;
import dev.ixws.server.internal.EmbeddedUpgrades;
import dev.ixws.server.internal.ServerListener;
import dev.ixws.server.internal.ServerSpec;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket server: IXWebSocket's {@code ix::WebSocketServer}.
 *
 * <p>Create it with a port (and optionally host, backlog, connection limit and handshake timeout),
 * set {@link #setOnConnectionCallback} (or {@link #setOnClientMessageCallback}), then {@link
 * #listen()}, {@link #start()}, and block in {@link #awaitStop()} (IX's {@code wait()}) or go on
 * with other work; {@link #stop()} closes every client with 1001 and frees the port.
 *
 * <p>Each client whose handshake succeeds is handed to the connection callback as a {@link
 * WebSocket} with the same callback, send and close API as a client. A request that is not a valid
 * WebSocket upgrade gets an HTTP error (400, 405, 426, 431), a client beyond {@code maxConnections}
 * gets 503, and one that does not finish its handshake in time is dropped.
 *
 * <p>Threading: every method is safe from any thread. Setters take effect at {@link #listen()}. The
 * callbacks of one connection never run concurrently and arrive in order, on the event-loop thread
 * that owns the connection unless {@link #setCallbackExecutor} names an executor; callbacks of
 * different connections may run at the same time. The server uses the shared {@link
 * dev.ixws.NetSystem} threads; it has no thread of its own.
 */
public final class WebSocketServer {

  private static final Logger log = LoggerFactory.getLogger(WebSocketServer.class);

  /** IX's {@code kDefaultPort}. */
  public static final int DEFAULT_PORT = 8080;

  /** IX's {@code kDefaultHost}: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** IX's {@code kDefaultTcpBacklog}. */
  public static final int DEFAULT_TCP_BACKLOG = 5;

  /** IX's {@code kDefaultMaxConnections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  /** IX's {@code kDefaultHandShakeTimeoutSecs}. */
  public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECS = 3;

  private final int requestedPort;
  private final String host;
  private final int backlog;
  private final int maxConnections;
  private final int handshakeTimeoutSecs;

  private final Object lock = new Object();
  // The settings a client WebSocket has too; thread-safe on its own.
  private final SessionSettings settings = new SessionSettings();
  // Settings, guarded by lock.
  private OnConnectionCallback onConnectionCallback;
  private OnClientMessageCallback onClientMessageCallback;
  private Supplier<? extends ConnectionState> connectionStateFactory = ConnectionState::new;
  private long maxPendingReceiveBytes = ReceiveBudget.defaultServerLimitBytes();
  private SocketTLSOptions tlsOptions = SocketTLSOptions.defaults();
  // Lifecycle, guarded by lock.
  private ServerListener listener;
  private boolean stopped;

  private final Map<WebSocket, WebSocketSession> clients = new ConcurrentHashMap<>();
  private final CountDownLatch stopLatch = new CountDownLatch(1);
  // Whether an HTTP server on the same port took this server's settings (it binds no port then).
  private boolean embedded;

  static {
    EmbeddedUpgrades.register(server -> ((WebSocketServer) server).prepareEmbedded());
  }

  /** A server on port 8080 of 127.0.0.1. */
  public WebSocketServer() {
    this(DEFAULT_PORT);
  }

  /** A server on {@code port} of 127.0.0.1; port 0 picks a free port, see {@link #getPort()}. */
  public WebSocketServer(int port) {
    this(port, DEFAULT_HOST);
  }

  /** A server on {@code port} of {@code host} (e.g. {@code "0.0.0.0"} for every interface). */
  public WebSocketServer(int port, String host) {
    this(port, host, DEFAULT_TCP_BACKLOG, DEFAULT_MAX_CONNECTIONS, DEFAULT_HANDSHAKE_TIMEOUT_SECS);
  }

  /**
   * A server with IX's full set of constructor parameters.
   *
   * @param backlog the TCP listen backlog
   * @param maxConnections connections beyond this many are refused with HTTP 503
   * @param handshakeTimeoutSecs clients that do not complete the handshake in time are dropped
   */
  public WebSocketServer(
      int port, String host, int backlog, int maxConnections, int handshakeTimeoutSecs) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (backlog < 1 || maxConnections < 1 || handshakeTimeoutSecs < 1) {
      throw new IllegalArgumentException(
          "backlog, maxConnections and handshakeTimeoutSecs must be positive");
    }
    this.requestedPort = port;
    this.host = Objects.requireNonNull(host, "host");
    this.backlog = backlog;
    this.maxConnections = maxConnections;
    this.handshakeTimeoutSecs = handshakeTimeoutSecs;
  }

  // ------------------------------------------------------------------ configuration

  /** Sets the callback called for each new client, before its {@code OPEN} message. */
  public void setOnConnectionCallback(OnConnectionCallback callback) {
    synchronized (lock) {
      onConnectionCallback = Objects.requireNonNull(callback, "callback");
    }
  }

  /**
   * Sets one callback for the messages and events of every client (IX's {@code
   * setOnClientMessageCallback}); it replaces the per-connection callbacks.
   */
  public void setOnClientMessageCallback(OnClientMessageCallback callback) {
    synchronized (lock) {
      onClientMessageCallback = Objects.requireNonNull(callback, "callback");
    }
  }

  /** Sets the factory of the per-connection state, to use a subclass of {@link ConnectionState}. */
  public void setConnectionStateFactory(Supplier<? extends ConnectionState> factory) {
    synchronized (lock) {
      connectionStateFactory = Objects.requireNonNull(factory, "factory");
    }
  }

  /**
   * Declares a subprotocol the server supports, after any added before. Of the subprotocols a
   * client offers, the first one the server supports is accepted and answered in {@code
   * Sec-WebSocket-Protocol}; with none in common the handshake succeeds without one (RFC 6455
   * section 4.2.2) and a browser will then fail it. Not in IXWebSocket.
   */
  public void addSubprotocol(String subprotocol) {
    settings.addSubprotocol(subprotocol);
  }

  /** The subprotocols the server supports, in order. */
  public List<String> getSubprotocols() {
    return settings.subprotocols();
  }

  /** Sets the largest message accepted from a client, in bytes (default 256 MiB; 1009 beyond). */
  public void setMaxMessageSize(int maxMessageSizeBytes) {
    settings.setMaxMessageSize(maxMessageSizeBytes);
  }

  /**
   * Sets the total memory that messages still being received may hold, over all connections, in
   * bytes (default: a quarter of the maximum heap, {@code Runtime.maxMemory() / 4}). A message
   * counts from the read that leaves it incomplete until it is delivered or its connection ends;
   * the connection whose message would take the total over the limit is closed with 1009 "server
   * receive budget of N bytes exhausted", and the others go on. Takes effect at {@link #listen()}.
   * Not in IXWebSocket.
   */
  public void setMaxPendingReceiveBytes(long maxPendingReceiveBytes) {
    if (maxPendingReceiveBytes < 1) {
      throw new IllegalArgumentException("max pending receive bytes must be positive");
    }
    synchronized (lock) {
      this.maxPendingReceiveBytes = maxPendingReceiveBytes;
    }
  }

  /**
   * Declines every per-message deflate offer: no connection compresses. IXWebSocket's {@code
   * disablePerMessageDeflate}. Takes effect at the next {@link #listen()}.
   */
  public void disablePerMessageDeflate() {
    settings.disablePerMessageDeflate();
  }

  /**
   * Sets what the server accepts of the clients' per-message deflate offers and how it compresses
   * (default {@link PerMessageDeflateOptions#DEFAULT}: accepted, with context takeover and 15-bit
   * windows unless a client asks for less). A window or no-context-takeover set here for either
   * side is asked of the client in the answer where RFC 7692 lets the server ask. Takes effect at
   * the next {@link #listen()}.
   */
  public void setPerMessageDeflateOptions(PerMessageDeflateOptions options) {
    settings.setPerMessageDeflateOptions(options);
  }

  /** The per-message deflate options set. */
  public PerMessageDeflateOptions getPerMessageDeflateOptions() {
    return settings.perMessageDeflateOptions();
  }

  /** Answers clients' pings automatically (the default). */
  public void enablePong() {
    settings.setAutoPong(true);
  }

  /** Stops answering pings automatically; the application sees {@code PING} messages. */
  public void disablePong() {
    settings.setAutoPong(false);
  }

  /**
   * Runs a heartbeat on every connection: a ping whenever nothing has been sent or received for
   * {@code pingIntervalSecs} seconds, and a close with 1011 "Ping timeout" for a client that stops
   * answering (see {@code WebSocket.setPingInterval}). Off by default and below 1. Not in
   * IXWebSocket's server.
   */
  public void setPingInterval(int pingIntervalSecs) {
    settings.setPingInterval(pingIntervalSecs);
  }

  /** As {@code WebSocket.setPongTimeout}, for every connection (default 0: IX's rule). */
  public void setPongTimeout(int pongTimeoutSecs) {
    settings.setPongTimeout(pongTimeoutSecs);
  }

  /** As {@code WebSocket.setMaxMissedPongs}, for every connection (default 0). */
  public void setMaxMissedPongs(int maxMissedPongs) {
    settings.setMaxMissedPongs(maxMissedPongs);
  }

  /**
   * Runs callbacks on {@code executor} instead of the event-loop threads, still one at a time and
   * in order per connection; {@code null} restores the default. Not in IXWebSocket.
   */
  public void setCallbackExecutor(Executor executor) {
    settings.setCallbackExecutor(executor);
  }

  /**
   * Sets the TLS options (IX's {@code setTLSOptions}). With {@link SocketTLSOptions#tls()} true the
   * server speaks only TLS ({@code wss://}): {@code certFile} and {@code keyFile} are required, and
   * a {@code caFile} other than {@code SYSTEM} or {@code NONE} requires every client to present a
   * certificate signed by those roots (mutual TLS; the verified chain is on {@link
   * ConnectionState#getPeerCertificates()} and in the {@code OPEN} message). Before {@link
   * #listen()}, takes effect there, which fails with the reason when the options cannot be used. On
   * a listening TLS server it rotates the certificate as {@link #updateTLSOptions} does, and a
   * failure is logged with the old certificate kept; call {@code updateTLSOptions} to see it.
   *
   * @throws NullPointerException if {@code options} is null
   */
  public void setTLSOptions(SocketTLSOptions options) {
    Objects.requireNonNull(options, "options");
    ServerListener bound;
    synchronized (lock) {
      tlsOptions = options;
      bound = listener;
    }
    if (bound != null) {
      String error = bound.updateTls(options);
      if (error != null) {
        log.warn("{}: TLS options not applied, the current certificate stays: {}", this, error);
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
   * ones, open connections keep theirs. Not in IXWebSocket (gateways rotate certificates this way).
   *
   * @return ok, or not ok with the reason (bad options, not listening, not a TLS server); on
   *     failure the current certificate stays
   */
  public ListenResult updateTLSOptions(SocketTLSOptions options) {
    Objects.requireNonNull(options, "options");
    ServerListener bound;
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
   * @return ok, or not ok with the reason (address in use, bad host...)
   */
  public ListenResult listen() {
    ServerSpec spec;
    synchronized (lock) {
      if (listener != null || stopped || embedded) {
        return new ListenResult(false, "listen() was already called on this server");
      }
      spec =
          new ServerSpec(
              maxConnections,
              handshakeTimeoutSecs * 1000L,
              settings.subprotocols(),
              settings.snapshot(false),
              settings.callbackExecutor(),
              maxPendingReceiveBytes,
              tlsOptions);
    }
    ServerListener bound;
    try {
      bound = ServerListener.bind(host, requestedPort, backlog, spec, connectionListener());
    } catch (IllegalStateException e) {
      return new ListenResult(false, e.getMessage());
    }
    synchronized (lock) {
      listener = bound;
    }
    return new ListenResult(true, "");
  }

  // For the HTTP server of the same port: this server's settings, as listen() would take them.
  private EmbeddedUpgrades prepareEmbedded() {
    synchronized (lock) {
      if (listener != null || stopped || embedded) {
        throw new IllegalStateException("this WebSocketServer was already started");
      }
      embedded = true;
      return new EmbeddedUpgrades(
          new ServerSpec(
              maxConnections,
              handshakeTimeoutSecs * 1000L,
              settings.subprotocols(),
              settings.snapshot(false),
              settings.callbackExecutor(),
              maxPendingReceiveBytes),
          connectionListener());
    }
  }

  /** Starts accepting connections (IX's {@code start()}); returns at once. */
  public void start() {
    ServerListener bound;
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
   * Object#wait()}.
   */
  public void awaitStop() throws InterruptedException {
    stopLatch.await();
  }

  /** Blocks until {@link #stop()} is called or the timeout passes; true if stopped. */
  public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
    return stopLatch.await(timeout, unit);
  }

  /**
   * Stops the server: frees the port, closes every client with 1001 "Going away", waits for their
   * closing handshakes (at most the close timeout, then drops them) and wakes {@link #awaitStop()}.
   * Idempotent. Called from a callback running on an event loop, it returns at once and stops the
   * server from another thread, since waiting there would stall the connections it closes.
   */
  public void stop() {
    if (EventLoops.inEventLoop()) {
      Thread stopper = new Thread(this::stop, "ixws-server-stop");
      stopper.setDaemon(true);
      stopper.start();
      return;
    }
    ServerListener bound;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      bound = listener;
    }
    if (bound != null) {
      bound.close();
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Map.Entry<WebSocket, WebSocketSession> client : clients.entrySet()) {
      client
          .getKey()
          .close(
              WebSocketCloseConstants.GOING_AWAY_CODE, WebSocketCloseConstants.GOING_AWAY_MESSAGE);
      closing.add(client.getValue().closed());
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(SessionConfig.DEFAULT_CLOSE_TIMEOUT_MILLIS + 2000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Stragglers are dropped below.
    }
    if (bound != null) {
      bound.dropConnections(2000);
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

  /** The clients connected now (a copy), e.g. to broadcast. */
  public Set<WebSocket> getClients() {
    return Set.copyOf(clients.keySet());
  }

  private ConnectionListener connectionListener() {
    return new ConnectionListener() {
      @Override
      public void onOpen(
          WebSocket webSocket, AcceptedRole role, WebSocketSession session, SocketAddress remote) {
        WebSocketServer.this.onOpen(webSocket, role, session, remote, List.of());
      }

      @Override
      public void onOpen(
          WebSocket webSocket,
          AcceptedRole role,
          WebSocketSession session,
          SocketAddress remote,
          List<X509Certificate> peerCertificates) {
        WebSocketServer.this.onOpen(webSocket, role, session, remote, peerCertificates);
      }
    };
  }

  private void onOpen(
      WebSocket webSocket,
      AcceptedRole role,
      WebSocketSession session,
      SocketAddress remote,
      List<X509Certificate> peerCertificates) {
    OnConnectionCallback onConnection;
    OnClientMessageCallback onClientMessage;
    Supplier<? extends ConnectionState> factory;
    boolean stopping;
    synchronized (lock) {
      onConnection = onConnectionCallback;
      onClientMessage = onClientMessageCallback;
      factory = connectionStateFactory;
      // Registered under the lock that stop() takes to set stopped, so either stop() sees this
      // client and closes it, or this client sees stopped and closes itself.
      stopping = stopped;
      if (!stopping) {
        clients.put(webSocket, session);
      }
    }
    session.closed().thenRun(() -> clients.remove(webSocket));
    if (stopping) {
      // Its 101 is already on the wire: close properly rather than drop it.
      session.close(
          WebSocketCloseConstants.GOING_AWAY_CODE, WebSocketCloseConstants.GOING_AWAY_MESSAGE);
    }
    role.dispatch(
        () -> {
          ConnectionState state = Objects.requireNonNull(factory.get(), "connection state");
          state.attach(remote, peerCertificates);
          if (onClientMessage != null) {
            webSocket.setOnMessageCallback(
                message -> onClientMessage.onClientMessage(state, webSocket, message));
          }
          if (onConnection != null) {
            onConnection.onConnection(webSocket, state);
          }
        });
  }

  @Override
  public String toString() {
    return "WebSocketServer[" + host + ":" + getPort() + ", " + clients.size() + " clients]";
  }
}
