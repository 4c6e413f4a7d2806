package dev.ixws.client.internal;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.ReadyState;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.internal.session.CallbackDispatcher;
import dev.ixws.internal.session.SendResults;
import dev.ixws.internal.session.SessionSettings;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.tls.TlsClient;
import dev.ixws.internal.transport.Connector;
import dev.ixws.internal.transport.EventLoops;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@code WebSocket} that connects out: its connection specification (written by the setters,
 * snapshotted by {@link #start} and {@link #connect}), its reconnection policy and the {@link
 * ClientLifecycle} that runs its connections.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ClientRole implements WebSocketRole {

  /** IXWebSocket's default handshake timeout: 60 seconds. */
  public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECS = 60;

  /** IXWebSocket's default cap on the wait between reconnection attempts: 10 s. */
  public static final int DEFAULT_MAX_WAIT_MILLIS = 10_000;

  /** IXWebSocket's default minimum wait between reconnection attempts: 1 ms. */
  public static final int DEFAULT_MIN_WAIT_MILLIS = 1;

  private final Consumer<WebSocketMessage> callback;
  private final Supplier<EventLoop> loops;
  private final Connector connector;
  private final SessionSettings settings = new SessionSettings();
  private final Object lock = new Object();

  // Specification, guarded by lock.
  private String url;
  private Supplier<WebSocketHttpHeaders> extraHeaders = () -> WebSocketHttpHeaders.EMPTY;
  private int handshakeTimeoutSecs = DEFAULT_HANDSHAKE_TIMEOUT_SECS;
  private String localAddress;
  private SocketTLSOptions tlsOptions = SocketTLSOptions.defaults();
  private int maxQueuedMessages;
  // Read live by the lifecycle at each reconnection decision.
  private volatile ReconnectPolicy reconnectPolicy =
      new ReconnectPolicy(true, DEFAULT_MIN_WAIT_MILLIS, DEFAULT_MAX_WAIT_MILLIS, 0);

  // Connection, guarded by lock (written), volatile (read on every send and event).
  private volatile ClientLifecycle lifecycle;
  private volatile CallbackDispatcher dispatcher;
  private Executor dispatcherExecutor;

  /**
   * A client on the shared event loops and TCP.
   *
   * @param callback delivers an event to the user's callback; called through the dispatcher
   */
  public ClientRole(Consumer<WebSocketMessage> callback) {
    this(callback, EventLoops::next, Connector.tcp());
  }

  /**
   * A client whose connections run on loops from {@code loops} and open through {@code connector}
   * (the in-memory tests give a local transport and a manually driven loop).
   */
  public ClientRole(
      Consumer<WebSocketMessage> callback, Supplier<EventLoop> loops, Connector connector) {
    this.callback = callback;
    this.loops = loops;
    this.connector = connector;
  }

  @Override
  public ClientRole client(String method) {
    return this;
  }

  /** The session settings this client shares with the server's. */
  public SessionSettings settings() {
    return settings;
  }

  // ------------------------------------------------------------------ specification

  /**
   * @throws IllegalArgumentException when it is not a {@code ws://} or {@code wss://} URL
   */
  public void setUrl(String newUrl) {
    WebSocketUrl.parse(Objects.requireNonNull(newUrl, "url"));
    synchronized (lock) {
      url = newUrl;
    }
  }

  @Override
  public String url() {
    synchronized (lock) {
      return url;
    }
  }

  /**
   * The TLS options of {@code wss://} connections, from the next {@code start()}/{@code connect()}.
   */
  public void setTLSOptions(SocketTLSOptions options) {
    Objects.requireNonNull(options, "options");
    synchronized (lock) {
      tlsOptions = options;
    }
  }

  /** The TLS options set (IX's defaults until set). */
  public SocketTLSOptions tlsOptions() {
    synchronized (lock) {
      return tlsOptions;
    }
  }

  /** Called at each connection attempt. */
  public void setExtraHeadersSupplier(Supplier<WebSocketHttpHeaders> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    synchronized (lock) {
      extraHeaders = supplier;
    }
  }

  /**
   * @throws IllegalArgumentException below 1 s
   */
  public void setHandshakeTimeout(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("handshake timeout must be at least 1 s");
    }
    synchronized (lock) {
      handshakeTimeoutSecs = seconds;
    }
  }

  /** The handshake timeout in seconds. */
  public int handshakeTimeoutSecs() {
    synchronized (lock) {
      return handshakeTimeoutSecs;
    }
  }

  /**
   * @throws IllegalArgumentException if {@code host} is blank
   */
  public void setLocalAddress(String host) {
    if (host != null && host.isBlank()) {
      throw new IllegalArgumentException("local address must not be empty (null for the default)");
    }
    synchronized (lock) {
      localAddress = host;
    }
  }

  /** The local address to bind, or null. */
  public String localAddress() {
    synchronized (lock) {
      return localAddress;
    }
  }

  /**
   * @throws IllegalArgumentException if negative
   */
  public void setMaxQueuedMessages(int maxMessages) {
    if (maxMessages < 0) {
      throw new IllegalArgumentException("max queued messages must not be negative");
    }
    synchronized (lock) {
      maxQueuedMessages = maxMessages;
    }
  }

  // ------------------------------------------------------------------ reconnection policy

  /** The reconnection settings now. */
  public ReconnectPolicy reconnectPolicy() {
    return reconnectPolicy;
  }

  /**
   * Changes the reconnection settings; the next wait uses them.
   *
   * @throws IllegalArgumentException if the minimum wait would exceed the maximum
   */
  public void updatePolicy(UnaryOperator<ReconnectPolicy> change) {
    boolean disabled;
    ClientLifecycle current;
    synchronized (lock) {
      ReconnectPolicy next = change.apply(reconnectPolicy);
      if (next.minWaitMillis() > next.maxWaitMillis()) {
        throw new IllegalArgumentException(
            "min wait ("
                + next.minWaitMillis()
                + " ms) is above max wait ("
                + next.maxWaitMillis()
                + " ms)");
      }
      disabled = !next.enabled();
      reconnectPolicy = next;
      current = lifecycle;
    }
    if (disabled && current != null) {
      // The policy is read when a wait starts; a wait already running is ended here.
      current.reconnectionDisabled();
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Connects in the background and keeps the connection alive.
   *
   * @throws IllegalStateException if no URL was set
   */
  public void start() {
    synchronized (lock) {
      ClientSpec spec = specLocked(handshakeTimeoutSecs);
      lifecycleLocked().start(spec, maxQueuedMessages);
    }
  }

  /**
   * Makes one attempt with a handshake timeout of {@code timeoutSecs}; completes on the event loop.
   *
   * @throws IllegalStateException if no URL was set
   */
  public CompletableFuture<WebSocketInitResult> connect(int timeoutSecs) {
    synchronized (lock) {
      return lifecycleLocked().connect(specLocked(timeoutSecs));
    }
  }

  private ClientSpec specLocked(int timeoutSecs) {
    if (url == null) {
      throw new IllegalStateException("no URL: call setUrl() first");
    }
    WebSocketUrl parsed = WebSocketUrl.parse(url);
    return new ClientSpec(
        parsed,
        extraHeaders,
        settings.subprotocols(),
        timeoutSecs * 1000L,
        settings.snapshot(true),
        localAddress,
        // Files are read here, on the caller's thread, never on an event loop.
        parsed.secure() ? TlsClient.prepare(tlsOptions) : null);
  }

  /** The lifecycle, made anew when there is none yet or NetSystem.uninit() stopped its loop. */
  private ClientLifecycle lifecycleLocked() {
    ClientLifecycle current = lifecycle;
    if (current == null || current.loop().isShuttingDown()) {
      // One event loop for all of this WebSocket's connections keeps its events in order.
      current = new ClientLifecycle(loops.get(), connector, this::deliver, this::reconnectPolicy);
      lifecycle = current;
    }
    Executor executor = settings.callbackExecutor();
    if (dispatcher == null
        || (dispatcherExecutor != executor && current.readyState() == ReadyState.CLOSED)) {
      // A new executor applies from a connection that starts while no callback can be pending.
      dispatcher = CallbackDispatcher.forExecutor(executor);
      dispatcherExecutor = executor;
    }
    return current;
  }

  private void deliver(WebSocketMessage message) {
    dispatcher.dispatch(callback, message);
  }

  // ------------------------------------------------------------------ WebSocketRole

  @Override
  public WebSocketSendInfo send(OutgoingMessage message) {
    ClientLifecycle current = lifecycle;
    return current == null
        ? SendResults.notOpen(message.size(), ReadyState.CLOSED)
        : current.send(message);
  }

  @Override
  public CompletableFuture<Void> close(int code, String reason) {
    ClientLifecycle current = lifecycle;
    return current == null ? CompletableFuture.completedFuture(null) : current.stop(code, reason);
  }

  @Override
  public WebSocketSession openSession() {
    ClientLifecycle current = lifecycle;
    return current == null ? null : current.openSession();
  }

  @Override
  public WebSocketSession session() {
    ClientLifecycle current = lifecycle;
    return current == null ? null : current.session();
  }

  @Override
  public ReadyState readyState() {
    ClientLifecycle current = lifecycle;
    return current == null ? ReadyState.CLOSED : current.readyState();
  }

  @Override
  public int maxMessageSize() {
    return settings.maxMessageSize();
  }

  @Override
  public PerMessageDeflateOptions perMessageDeflateOptions() {
    return settings.perMessageDeflateOptions();
  }

  @Override
  public int pingIntervalSecs() {
    return settings.pingIntervalSecs();
  }

  @Override
  public List<String> subprotocols() {
    return settings.subprotocols();
  }

  @Override
  public String toString() {
    return url();
  }
}
