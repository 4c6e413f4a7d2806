package dev.ixws.client;

import dev.ixws.OnMessageCallback;
import dev.ixws.ReadyState;
import dev.ixws.WebSocketCloseConstants;
import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.internal.ClientSpec;
import dev.ixws.client.internal.ConnectAttempt;
import dev.ixws.client.internal.ServerSideAccess;
import dev.ixws.client.internal.WebSocketUrl;
import dev.ixws.internal.CallbackDispatcher;
import dev.ixws.internal.EventLoops;
import dev.ixws.internal.SessionConfig;
import dev.ixws.internal.SessionState;
import dev.ixws.internal.Subprotocols;
import dev.ixws.internal.WebSocketSession;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A WebSocket connection: IXWebSocket's {@code ix::WebSocket}.
 *
 * <p>As a client: configure it with the setters, set a callback with {@link #setOnMessageCallback},
 * then {@link #start()} it (background connect) or {@link #connect(int)} it (synchronous). Messages
 * and events ({@code OPEN}, {@code CLOSE}, {@code ERROR}, {@code PING}, {@code PONG}, {@code
 * FRAGMENT}) reach the callback as {@link WebSocketMessage}s. {@link #stop()} closes the
 * connection.
 *
 * <p>A {@code WebSocketServer} hands out one {@code WebSocket} per accepted connection with the
 * same callback, send and close API; the client-only methods ({@code setUrl}, {@code start}, {@code
 * connect} and the connection settings) throw {@link IllegalStateException} on those.
 *
 * <p>Threading: every method is safe from any thread. Setters write a specification that {@code
 * start()} and {@code connect()} snapshot: a change takes effect at the next connection. Callbacks
 * of one WebSocket never run concurrently and arrive in order, on the connection's event-loop
 * thread (so they must not block) unless {@link #setCallbackExecutor} names another executor. All
 * WebSockets share the {@link dev.ixws.NetSystem} threads; none has a thread of its own.
 *
 * <p>Not yet implemented and therefore absent: heartbeat ({@code setPingInterval}), automatic
 * reconnection, per-message deflate and TLS ({@code wss://} URLs fail with a clear {@code ERROR}).
 */
public final class WebSocket {

  /** IXWebSocket's default handshake timeout: 60 seconds. */
  public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECS = 60;

  /** The default maximum message size in bytes (256 MiB); see {@link #setMaxMessageSize}. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE_BYTES =
      SessionConfig.DEFAULT_MAX_MESSAGE_SIZE_BYTES;

  static {
    ServerSideAccess.register(dispatcher -> new Accepted(new WebSocket(dispatcher)));
  }

  private final boolean serverSide;
  private final Object lock = new Object();
  private volatile OnMessageCallback onMessageCallback;
  private volatile WebSocketSession session;

  // Client specification, guarded by lock.
  private String url;
  private Supplier<WebSocketHttpHeaders> extraHeaders = () -> WebSocketHttpHeaders.EMPTY;
  private final List<String> subprotocols = new ArrayList<>();
  private int handshakeTimeoutSecs = DEFAULT_HANDSHAKE_TIMEOUT_SECS;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE_BYTES;
  private boolean autoPong = true;
  private Executor callbackExecutor;

  // Client connection, guarded by lock.
  private EventLoop eventLoop;
  // Written under lock, read without it on every event.
  private volatile CallbackDispatcher dispatcher;
  private ConnectAttempt attempt;

  /** A client WebSocket; set its URL and callback, then {@link #start()} it. */
  public WebSocket() {
    this.serverSide = false;
  }

  /** A server-side WebSocket for an accepted connection. */
  private WebSocket(CallbackDispatcher dispatcher) {
    this.serverSide = true;
    this.dispatcher = dispatcher;
  }

  // ------------------------------------------------------------------ configuration

  /**
   * Sets the URL to connect to ({@code ws://host[:port][/path][?query]}); IX's {@code setUrl}.
   * Takes effect at the next {@link #start()} or {@link #connect(int)}.
   *
   * @throws IllegalArgumentException when the URL is not a {@code ws://} or {@code wss://} URL with
   *     a host
   */
  public void setUrl(String url) {
    requireClient("setUrl");
    WebSocketUrl.parse(Objects.requireNonNull(url, "url"));
    synchronized (lock) {
      this.url = url;
    }
  }

  /** Same as {@link #setUrl(String)}: IX's {@code configure(url)}. */
  public void configure(String url) {
    setUrl(url);
  }

  /** The URL set with {@link #setUrl}, or the request target of a server-side connection. */
  public String getUrl() {
    synchronized (lock) {
      return url;
    }
  }

  /** Sets the callback that receives every message and event. Takes effect at once. */
  public void setOnMessageCallback(OnMessageCallback callback) {
    this.onMessageCallback = Objects.requireNonNull(callback, "callback");
  }

  /**
   * Sets headers to send with the opening handshake (IX's {@code setExtraHeaders}). Takes effect at
   * the next connection.
   */
  public void setExtraHeaders(WebSocketHttpHeaders headers) {
    Objects.requireNonNull(headers, "headers");
    setExtraHeadersSupplier(() -> headers);
  }

  /** Same as {@link #setExtraHeaders(WebSocketHttpHeaders)}, from a map of names to values. */
  public void setExtraHeaders(Map<String, String> headers) {
    setExtraHeaders(WebSocketHttpHeaders.of(headers));
  }

  /**
   * Sets a supplier of handshake headers, called at each connection attempt (so a rotating token is
   * fresh). Not in IXWebSocket. If it throws, the attempt fails with an {@code ERROR}.
   */
  public void setExtraHeadersSupplier(Supplier<WebSocketHttpHeaders> supplier) {
    requireClient("setExtraHeaders");
    Objects.requireNonNull(supplier, "supplier");
    synchronized (lock) {
      this.extraHeaders = supplier;
    }
  }

  /**
   * Offers {@code subprotocol} in the handshake, after any added before; the server picks one,
   * reported in {@code openInfo().protocol()}. Takes effect at the next connection.
   *
   * @throws IllegalArgumentException if it is empty or contains a comma or whitespace
   */
  public void addSubprotocol(String subprotocol) {
    requireClient("addSubprotocol");
    Subprotocols.requireToken(subprotocol);
    synchronized (lock) {
      subprotocols.add(subprotocol);
    }
  }

  /** The subprotocols offered, in order. */
  public List<String> getSubprotocols() {
    synchronized (lock) {
      return List.copyOf(subprotocols);
    }
  }

  /**
   * Sets how long TCP connect plus the opening handshake may take, in seconds (default 60, as
   * IXWebSocket). Takes effect at the next connection.
   */
  public void setHandshakeTimeout(int handshakeTimeoutSecs) {
    requireClient("setHandshakeTimeout");
    if (handshakeTimeoutSecs < 1) {
      throw new IllegalArgumentException("handshake timeout must be at least 1 s");
    }
    synchronized (lock) {
      this.handshakeTimeoutSecs = handshakeTimeoutSecs;
    }
  }

  /** The handshake timeout in seconds. */
  public int getHandshakeTimeout() {
    synchronized (lock) {
      return handshakeTimeoutSecs;
    }
  }

  /**
   * Sets the largest message accepted, in bytes, whether it arrives in one frame or many (default
   * 256 MiB). A larger one closes the connection with 1009, detected as soon as the frame header or
   * the fragment that crosses the limit arrives. Not in IXWebSocket. Takes effect at the next
   * connection.
   */
  public void setMaxMessageSize(int maxMessageSizeBytes) {
    requireClient("setMaxMessageSize");
    if (maxMessageSizeBytes < 1) {
      throw new IllegalArgumentException("max message size must be positive");
    }
    synchronized (lock) {
      this.maxMessageSize = maxMessageSizeBytes;
    }
  }

  /** The maximum message size in bytes. */
  public int getMaxMessageSize() {
    synchronized (lock) {
      return maxMessageSize;
    }
  }

  /** Answers received pings automatically (the default, as RFC 6455 requires). */
  public void enablePong() {
    setAutoPong(true);
  }

  /**
   * Stops answering pings automatically: the application sees {@code PING} messages and may answer
   * itself. Takes effect at the next connection.
   */
  public void disablePong() {
    setAutoPong(false);
  }

  private void setAutoPong(boolean enabled) {
    requireClient("enablePong/disablePong");
    synchronized (lock) {
      this.autoPong = enabled;
    }
  }

  /**
   * Runs callbacks on {@code executor} instead of the event-loop thread, still one at a time and in
   * order; {@code null} restores the default. Not in IXWebSocket. Takes effect at the next {@link
   * #start()} or {@link #connect(int)}.
   */
  public void setCallbackExecutor(Executor executor) {
    requireClient("setCallbackExecutor");
    synchronized (lock) {
      this.callbackExecutor = executor;
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Connects in the background, as IX's {@code start()}: returns at once; {@code OPEN} or {@code
   * ERROR} follows on the callback. Does nothing if already started and not stopped.
   *
   * @throws IllegalStateException if no URL was set
   */
  public void start() {
    requireClient("start");
    synchronized (lock) {
      if (attempt != null && !isClosedLocked()) {
        return;
      }
      ConnectAttempt started = beginAttemptLocked(handshakeTimeoutSecs);
      started
          .result()
          .thenAccept(
              result -> {
                if (!result.success() && !started.isCancelled()) {
                  deliver(
                      WebSocketMessage.error(
                          new WebSocketErrorInfo(
                              1, 0, result.httpStatus(), result.errorStr(), false)));
                }
              });
    }
  }

  /**
   * Connects synchronously, as IX's {@code connect(timeoutSecs)}: returns once the connection is
   * open or failed. {@code OPEN} is delivered to the callback on success; a failure is reported
   * only in the result. Must not be called from a callback running on the event loop.
   *
   * @param timeoutSecs the handshake timeout for this attempt, in seconds
   */
  public WebSocketInitResult connect(int timeoutSecs) {
    requireClient("connect");
    if (timeoutSecs < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 s");
    }
    ConnectAttempt started;
    synchronized (lock) {
      if (EventLoops.inEventLoop()) {
        throw new IllegalStateException("connect() would block an event loop; use start()");
      }
      WebSocketSession current = session;
      if (current != null && current.state() == SessionState.OPEN) {
        return new WebSocketInitResult(
            false, 0, "already connected", WebSocketHttpHeaders.EMPTY, getUrlTarget(), "");
      }
      started = beginAttemptLocked(timeoutSecs);
    }
    try {
      return started.result().get(timeoutSecs + 5L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.cancel("interrupted");
      return failedInit("interrupted while connecting");
    } catch (ExecutionException | TimeoutException e) {
      started.cancel("connect timed out");
      return failedInit("connect failed: " + e);
    }
  }

  private WebSocketInitResult failedInit(String reason) {
    return new WebSocketInitResult(
        false, 0, reason, WebSocketHttpHeaders.EMPTY, getUrlTarget(), "");
  }

  private String getUrlTarget() {
    return url == null ? "" : WebSocketUrl.parse(url).target();
  }

  private ConnectAttempt beginAttemptLocked(int timeoutSecs) {
    if (url == null) {
      throw new IllegalStateException("no URL: call setUrl() first");
    }
    if (eventLoop == null || eventLoop.isShuttingDown()) {
      // One loop for all of this WebSocket's connections keeps its events in order; a new one is
      // taken after NetSystem.uninit() stopped the old.
      eventLoop = EventLoops.next();
    }
    if (attempt != null && !attempt.result().isDone()) {
      attempt.cancel("replaced by a new connection attempt");
    }
    dispatcher = new CallbackDispatcher(callbackExecutor);
    ClientSpec spec =
        new ClientSpec(
            WebSocketUrl.parse(url),
            extraHeaders,
            subprotocols,
            timeoutSecs * 1000L,
            new SessionConfig(
                true, maxMessageSize, SessionConfig.DEFAULT_CLOSE_TIMEOUT_MILLIS, autoPong),
            callbackExecutor);
    session = null;
    attempt = ConnectAttempt.start(spec, eventLoop, this::deliver, opened -> session = opened);
    return attempt;
  }

  private boolean isClosedLocked() {
    WebSocketSession current = session;
    if (current != null) {
      return current.state() == SessionState.CLOSED;
    }
    return attempt == null || attempt.result().isDone();
  }

  /**
   * Closes the connection with 1000 "Normal closure" and waits until it is closed (IX's {@code
   * stop()}); cancels a connection attempt in progress. When called from a callback running on an
   * event loop it does not wait.
   */
  public void stop() {
    stop(
        WebSocketCloseConstants.NORMAL_CLOSURE_CODE,
        WebSocketCloseConstants.NORMAL_CLOSURE_MESSAGE);
  }

  /**
   * Closes the connection with {@code code} and {@code reason} and waits until it is closed, at
   * most the close timeout (1 s) plus a margin; does not wait when called on the event loop.
   *
   * @throws IllegalArgumentException if {@code code} may not be sent (see {@link
   *     WebSocketCloseConstants#isValidCloseCode})
   */
  public void stop(int code, String reason) {
    close(code, reason);
    ConnectAttempt pending;
    synchronized (lock) {
      pending = attempt;
    }
    if (pending == null) {
      return;
    }
    pending.cancel("stopped by the application");
    // The attempt's result completes after its session (if any) was published, so a handshake that
    // won the race against cancel() is closed here too.
    CompletableFuture<Void> closed =
        pending
            .result()
            .thenCompose(
                result -> {
                  WebSocketSession current = session;
                  if (current == null) {
                    return CompletableFuture.completedFuture(null);
                  }
                  current.close(code, reason);
                  return current.closed();
                });
    if (EventLoops.inEventLoop()) {
      return; // waiting here would stall the event loop that has to do the closing
    }
    try {
      closed.get(SessionConfig.DEFAULT_CLOSE_TIMEOUT_MILLIS + 2000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      WebSocketSession current = session;
      if (current != null) {
        current.abort();
      }
    }
  }

  /**
   * Starts the closing handshake with {@code code} and {@code reason} and returns at once; {@code
   * CLOSE} follows on the callback. Does nothing when not open.
   *
   * @throws IllegalArgumentException if {@code code} may not be sent
   */
  public void close(int code, String reason) {
    if (!WebSocketCloseConstants.isValidCloseCode(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4)");
    }
    Objects.requireNonNull(reason, "reason");
    WebSocketSession current = session;
    if (current != null) {
      current.close(code, reason);
    }
  }

  /** Closes with 1000 "Normal closure" without waiting. */
  public void close() {
    close(
        WebSocketCloseConstants.NORMAL_CLOSURE_CODE,
        WebSocketCloseConstants.NORMAL_CLOSURE_MESSAGE);
  }

  // ------------------------------------------------------------------ sending

  /**
   * Sends {@code data} as a text message (IX's {@code send(data)}; text by default).
   *
   * @return a failed result, with nothing queued, when the connection is not open
   */
  public WebSocketSendInfo send(String data) {
    return sendText(data);
  }

  /**
   * Sends {@code data} as a binary message when {@code binary} is true, as text otherwise (IX's
   * {@code send(data, binary)}). A binary string holds one byte per char (ISO-8859-1), as {@link
   * WebSocketMessage#str()} of a binary message does, so {@code send(msg.str(), msg.binary())}
   * echoes a message exactly.
   *
   * @throws IllegalArgumentException if {@code binary} and a char is above U+00FF
   */
  public WebSocketSendInfo send(String data, boolean binary) {
    return binary ? sendBinary(data) : sendText(data);
  }

  /** Sends {@code data} (copied) as binary when {@code binary} is true, otherwise as UTF-8 text. */
  public WebSocketSendInfo send(byte[] data, boolean binary) {
    Objects.requireNonNull(data, "data");
    return binary ? sendBinary(data) : sendText(new String(data, StandardCharsets.UTF_8));
  }

  /** Sends a text message. */
  public WebSocketSendInfo sendText(String text) {
    Objects.requireNonNull(text, "text");
    WebSocketSession current = session;
    return current == null ? notOpen(text.length()) : current.sendText(text);
  }

  /** Sends a binary message with a copy of {@code data}. */
  public WebSocketSendInfo sendBinary(byte[] data) {
    return sendBinary(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
  }

  /**
   * Sends a binary message with a copy of {@code data}'s remaining bytes (its position is kept).
   */
  public WebSocketSendInfo sendBinary(ByteBuffer data) {
    Objects.requireNonNull(data, "data");
    WebSocketSession current = session;
    return current == null ? notOpen(data.remaining()) : current.sendBinary(data);
  }

  /**
   * Sends a binary message whose bytes are the chars of {@code data} (ISO-8859-1).
   *
   * @throws IllegalArgumentException if a char is above U+00FF
   */
  public WebSocketSendInfo sendBinary(String data) {
    Objects.requireNonNull(data, "data");
    WebSocketSession current = session;
    return current == null ? notOpen(data.length()) : current.sendBinary(data);
  }

  /**
   * Sends a ping with {@code data} (UTF-8) as payload; a payload over 125 bytes is refused with a
   * failed result and nothing is sent.
   */
  public WebSocketSendInfo ping(String data) {
    return ping(Objects.requireNonNull(data, "data").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a ping with {@code data} as payload; over 125 bytes it is refused. */
  public WebSocketSendInfo ping(byte[] data) {
    Objects.requireNonNull(data, "data");
    WebSocketSession current = session;
    if (data.length > 125 || current == null) {
      return current == null && data.length <= 125
          ? notOpen(data.length)
          : WebSocketSendInfo.failed(
              data.length,
              "ping payload is " + data.length + " bytes; a control frame carries at most 125");
    }
    return current.ping(data);
  }

  private WebSocketSendInfo notOpen(long size) {
    return WebSocketSendInfo.failed(
        size, "the connection is not open (ready state " + getReadyState() + ")");
  }

  // ------------------------------------------------------------------ state

  /** The connection's state at this moment. */
  public ReadyState getReadyState() {
    WebSocketSession current = session;
    if (current != null) {
      return current.readyState();
    }
    synchronized (lock) {
      return attempt != null && !attempt.result().isDone()
          ? ReadyState.CONNECTING
          : ReadyState.CLOSED;
    }
  }

  /** Bytes of sent messages (frame headers included) not yet written to the socket. */
  public long getBufferedAmount() {
    WebSocketSession current = session;
    return current == null ? 0 : current.bufferedAmount();
  }

  private void deliver(WebSocketMessage message) {
    dispatcher.dispatch(
        () -> {
          OnMessageCallback callback = onMessageCallback;
          if (callback != null) {
            callback.onMessage(message);
          }
        });
  }

  private void requireClient(String method) {
    if (serverSide) {
      throw new IllegalStateException(
          method + "() is for client WebSockets; this one was accepted by a server");
    }
  }

  @Override
  public String toString() {
    return "WebSocket[" + (serverSide ? "accepted" : getUrl()) + ", " + getReadyState() + "]";
  }

  /** The server-side hooks, used through {@link ServerSideAccess} only. */
  private record Accepted(WebSocket webSocket) implements ServerSideAccess.Handle {
    @Override
    public void attach(WebSocketSession session, String target) {
      webSocket.session = session;
      synchronized (webSocket.lock) {
        webSocket.url = target;
      }
    }

    @Override
    public void deliver(WebSocketMessage message) {
      webSocket.deliver(message);
    }

    @Override
    public void dispatch(Runnable callback) {
      webSocket.dispatcher.dispatch(callback);
    }
  }
}
