package dev.ixws.client;

import dev.ixws.OnMessageCallback;
import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.ReadyState;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketCloseConstants;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.WebSocketTrafficStats;
import dev.ixws.client.internal.AcceptedRole;
import dev.ixws.client.internal.ClientRole;
import dev.ixws.client.internal.OutgoingMessage;
import dev.ixws.client.internal.ReconnectPolicy;
import dev.ixws.client.internal.WebSocketAccess;
import dev.ixws.client.internal.WebSocketRole;
import dev.ixws.internal.codec.Frames;
import dev.ixws.internal.session.SendResults;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.SessionSettings;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.transport.EventLoops;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * connect}, the connection and reconnection settings and their getters) throw {@link
 * IllegalStateException} on those. {@code getUrl()} there is the request target, {@code
 * getSubprotocols()} the negotiated subprotocol, {@code getMaxMessageSize()} and {@code
 * getPingInterval()} the server's settings.
 *
 * <p>Threading: every method is safe from any thread. Setters write a specification that {@code
 * start()} and {@code connect()} snapshot: a change takes effect at the next connection. Callbacks
 * of one WebSocket never run concurrently and arrive in order, on the connection's event-loop
 * thread (so they must not block) unless {@link #setCallbackExecutor} names another executor. All
 * WebSockets share the {@link dev.ixws.NetSystem} threads; none has a thread of its own.
 *
 * <p>Lifecycle: {@code start()} keeps the connection alive. A connection that ends without the
 * application asking (refused, handshake rejected, closed by the server, cut, heartbeat timeout) is
 * reopened with IXWebSocket's exponential backoff (100 ms, 200, 400 ... capped at 10 s), each
 * failed attempt reported as an {@code ERROR} with its retry count and wait; {@code stop()} and
 * {@code close()} never reconnect. While disconnected, {@code send} fails at once unless a send
 * queue was enabled. An optional heartbeat ({@link #setPingInterval}) pings an idle peer and closes
 * with 1011 "Ping timeout" when it stops answering.
 *
 * <p>Per-message deflate is offered by default ({@link #disablePerMessageDeflate}); {@code wss://}
 * URLs use TLS ({@link #setTLSOptions}).
 */
public final class WebSocket {

  /** IXWebSocket's default handshake timeout: 60 seconds. */
  public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECS =
      ClientRole.DEFAULT_HANDSHAKE_TIMEOUT_SECS;

  /** The default maximum message size in bytes (256 MiB); see {@link #setMaxMessageSize}. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE_BYTES =
      SessionConfig.DEFAULT_MAX_MESSAGE_SIZE_BYTES;

  /** IXWebSocket's default cap on the wait between reconnection attempts: 10 s. */
  public static final int DEFAULT_MAX_WAIT_BETWEEN_RECONNECTION_RETRIES_MILLIS =
      ClientRole.DEFAULT_MAX_WAIT_MILLIS;

  /** IXWebSocket's default minimum wait between reconnection attempts: 1 ms. */
  public static final int DEFAULT_MIN_WAIT_BETWEEN_RECONNECTION_RETRIES_MILLIS =
      ClientRole.DEFAULT_MIN_WAIT_MILLIS;

  /** IXWebSocket's default ping interval: disabled. */
  public static final int DEFAULT_PING_INTERVAL_SECS = SessionSettings.DEFAULT_PING_INTERVAL_SECS;

  static {
    // The server creates its accepted WebSockets through this (see WebSocketAccess).
    WebSocketAccess.setAcceptedFactory(WebSocket::new);
  }

  // Client or accepted, chosen at creation; everything but the user's callback lives there.
  private final WebSocketRole role;
  private volatile OnMessageCallback onMessageCallback;

  /** A client WebSocket; set its URL and callback, then {@link #start()} it. */
  public WebSocket() {
    this.role = new ClientRole(this::invokeCallback);
  }

  /** A server-side WebSocket for an accepted connection. */
  private WebSocket(AcceptedRole accepted) {
    accepted.bind(this::invokeCallback);
    this.role = accepted;
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
    role.client("setUrl").setUrl(url);
  }

  /** Same as {@link #setUrl(String)}: IX's {@code configure(url)}. */
  public void configure(String url) {
    setUrl(url);
  }

  /** The URL set with {@link #setUrl}, or the request target of a server-side connection. */
  public String getUrl() {
    return role.url();
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
    role.client("setExtraHeaders").setExtraHeadersSupplier(supplier);
  }

  /**
   * Offers {@code subprotocol} in the handshake, after any added before; the server picks one,
   * reported in {@code openInfo().protocol()}. Takes effect at the next connection.
   *
   * @throws IllegalArgumentException if it is empty or contains a comma or whitespace
   */
  public void addSubprotocol(String subprotocol) {
    settings("addSubprotocol").addSubprotocol(subprotocol);
  }

  /** The subprotocols offered, in order; on an accepted connection, the one negotiated. */
  public List<String> getSubprotocols() {
    return role.subprotocols();
  }

  /**
   * Sets how long TCP connect plus the opening handshake may take, in seconds (default 60, as
   * IXWebSocket). Takes effect at the next connection.
   */
  public void setHandshakeTimeout(int handshakeTimeoutSecs) {
    role.client("setHandshakeTimeout").setHandshakeTimeout(handshakeTimeoutSecs);
  }

  /** The handshake timeout in seconds. */
  public int getHandshakeTimeout() {
    return role.client("getHandshakeTimeout").handshakeTimeoutSecs();
  }

  // ------------------------------------------------------------------ TLS

  /**
   * Sets the TLS options of {@code wss://} connections (IX's {@code setTLSOptions}): trusted roots
   * ({@code caFile}, the system's by default), a client certificate, ciphers, hostname validation.
   * A {@code wss://} URL uses TLS without calling this, with {@link SocketTLSOptions#defaults()}:
   * the server's chain and host name verified, SNI sent. The files are read at the next {@link
   * #start()} or {@link #connect}, on the calling thread; options that cannot be used (a missing
   * file, a bad PEM, a key that does not match its certificate) make that connection fail with an
   * {@code ERROR} message saying why. A certificate the server presents that fails verification
   * (untrusted, expired, for another host) also ends in an {@code ERROR} with the reason. Takes
   * effect at the next connection.
   *
   * @throws NullPointerException if {@code options} is null
   * @throws IllegalStateException on a connection a server accepted
   */
  public void setTLSOptions(SocketTLSOptions options) {
    role.client("setTLSOptions").setTLSOptions(options);
  }

  /** The TLS options set with {@link #setTLSOptions}, or IX's defaults. */
  public SocketTLSOptions getTLSOptions() {
    return role.client("getTLSOptions").tlsOptions();
  }

  /**
   * Sets the largest message accepted, in bytes, whether it arrives in one frame or many (default
   * 256 MiB). A larger one closes the connection with 1009, detected as soon as the frame header or
   * the fragment that crosses the limit arrives. Not in IXWebSocket. Takes effect at the next
   * connection.
   */
  public void setMaxMessageSize(int maxMessageSizeBytes) {
    settings("setMaxMessageSize").setMaxMessageSize(maxMessageSizeBytes);
  }

  /** The maximum message size in bytes. */
  public int getMaxMessageSize() {
    return role.maxMessageSize();
  }

  /**
   * Turns per-message deflate (RFC 7692) off: the client offers no compression. IXWebSocket's
   * {@code disablePerMessageDeflate}. Takes effect at the next connection.
   */
  public void disablePerMessageDeflate() {
    settings("disablePerMessageDeflate").disablePerMessageDeflate();
  }

  /**
   * Sets what the client offers for per-message deflate and how it compresses (default {@link
   * PerMessageDeflateOptions#DEFAULT}: offered, IXWebSocket's parameters); IX's {@code
   * setPerMessageDeflateOptions}. Takes effect at the next connection.
   */
  public void setPerMessageDeflateOptions(PerMessageDeflateOptions options) {
    settings("setPerMessageDeflateOptions").setPerMessageDeflateOptions(options);
  }

  /**
   * The per-message deflate options: on a client, those set; on a server-side connection, those
   * agreed with the client ({@link PerMessageDeflateOptions#DISABLED} when it does not compress).
   * What a client's connection agreed on is in its {@code OPEN} message's {@link
   * dev.ixws.WebSocketOpenInfo#perMessageDeflate()}.
   */
  public PerMessageDeflateOptions getPerMessageDeflateOptions() {
    return role.perMessageDeflateOptions();
  }

  /** Answers received pings automatically (the default, as RFC 6455 requires). */
  public void enablePong() {
    settings("enablePong").setAutoPong(true);
  }

  /**
   * Stops answering pings automatically: the application sees {@code PING} messages and may answer
   * itself. Takes effect at the next connection.
   */
  public void disablePong() {
    settings("disablePong").setAutoPong(false);
  }

  /**
   * Runs callbacks on {@code executor} instead of the event-loop thread, still one at a time and in
   * order; {@code null} restores the default. Not in IXWebSocket. Takes effect at the next {@link
   * #start()} or {@link #connect(int)}.
   */
  public void setCallbackExecutor(Executor executor) {
    settings("setCallbackExecutor").setCallbackExecutor(executor);
  }

  /**
   * Binds the connection's TCP socket to the local address {@code host} before connecting, so its
   * packets leave from that IP (for example one of several {@code 127.0.0.x} addresses, to open
   * more connections to one server than one source address has ports); the local port is still
   * chosen by the system. {@code null} (the default) lets the system choose the address too. An IP
   * literal is used as is; a host name is resolved when connecting. An address that cannot be bound
   * makes the attempt fail with an {@code ERROR}. Not in IXWebSocket. Takes effect at the next
   * connection.
   *
   * @throws IllegalArgumentException if {@code host} is empty
   */
  public void setLocalAddress(String host) {
    role.client("setLocalAddress").setLocalAddress(host);
  }

  /** The local address set with {@link #setLocalAddress}, or null when the system chooses. */
  public String getLocalAddress() {
    return role.client("getLocalAddress").localAddress();
  }

  // ------------------------------------------------------------------ heartbeat

  /**
   * Sends a ping whenever nothing has been sent or received for {@code pingIntervalSecs} seconds
   * (IX's {@code setPingInterval}; disabled by default, and by any value below 1). A peer that has
   * not answered a ping by the next one (or within {@link #setPongTimeout}) counts as silent and
   * the connection is closed with 1011 "Ping timeout". Takes effect at the next connection.
   */
  public void setPingInterval(int pingIntervalSecs) {
    settings("setPingInterval").setPingInterval(pingIntervalSecs);
  }

  /** The ping interval in seconds; below 1 when the heartbeat is off. */
  public int getPingInterval() {
    return role.pingIntervalSecs();
  }

  /**
   * Counts a heartbeat ping as missed when its pong has not come within {@code pongTimeoutSecs}
   * seconds, instead of waiting for the next heartbeat (IX's rule, and the default: 0). Not in
   * IXWebSocket. Takes effect at the next connection.
   */
  public void setPongTimeout(int pongTimeoutSecs) {
    settings("setPongTimeout").setPongTimeout(pongTimeoutSecs);
  }

  /**
   * Tolerates {@code maxMissedPongs} missed heartbeat pongs in a row before closing (default 0:
   * close at the first, as IXWebSocket). Not in IXWebSocket. Takes effect at the next connection.
   */
  public void setMaxMissedPongs(int maxMissedPongs) {
    settings("setMaxMissedPongs").setMaxMissedPongs(maxMissedPongs);
  }

  /**
   * The round trip of the last heartbeat ping that the peer answered, if any was. Not in
   * IXWebSocket.
   */
  public Optional<Duration> getLastPingRoundTripTime() {
    WebSocketSession current = role.session();
    long nanos = current == null ? -1 : current.lastPingRoundTripNanos();
    return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
  }

  // ------------------------------------------------------------------ reconnection

  /** Reopens connections that end without the application asking (the default). */
  public void enableAutomaticReconnection() {
    role.client("enableAutomaticReconnection")
        .updatePolicy(
            p -> new ReconnectPolicy(true, p.minWaitMillis(), p.maxWaitMillis(), p.jitter()));
  }

  /**
   * Stops reopening connections; one already scheduled does not happen, and messages waiting in the
   * send queue are dropped (reported in an {@code ERROR}). Takes effect at once.
   */
  public void disableAutomaticReconnection() {
    role.client("disableAutomaticReconnection")
        .updatePolicy(
            p -> new ReconnectPolicy(false, p.minWaitMillis(), p.maxWaitMillis(), p.jitter()));
  }

  /** Whether automatic reconnection is on. */
  public boolean isAutomaticReconnectionEnabled() {
    return policy("isAutomaticReconnectionEnabled").enabled();
  }

  /**
   * Caps the wait between reconnection attempts, in milliseconds (default 10000). Takes effect at
   * the next wait.
   */
  public void setMaxWaitBetweenReconnectionRetries(int maxWaitMillis) {
    ClientRole client = role.client("setMaxWaitBetweenReconnectionRetries");
    if (maxWaitMillis < 1) {
      throw new IllegalArgumentException("max wait must be at least 1 ms");
    }
    client.updatePolicy(
        p -> new ReconnectPolicy(p.enabled(), p.minWaitMillis(), maxWaitMillis, p.jitter()));
  }

  /** The cap on the wait between reconnection attempts, in milliseconds. */
  public int getMaxWaitBetweenReconnectionRetries() {
    return (int) policy("getMaxWaitBetweenReconnectionRetries").maxWaitMillis();
  }

  /**
   * Sets the smallest wait between reconnection attempts, in milliseconds (default 1). Takes effect
   * at the next wait.
   */
  public void setMinWaitBetweenReconnectionRetries(int minWaitMillis) {
    ClientRole client = role.client("setMinWaitBetweenReconnectionRetries");
    if (minWaitMillis < 0) {
      throw new IllegalArgumentException("min wait must not be negative");
    }
    client.updatePolicy(
        p -> new ReconnectPolicy(p.enabled(), minWaitMillis, p.maxWaitMillis(), p.jitter()));
  }

  /** The smallest wait between reconnection attempts, in milliseconds. */
  public int getMinWaitBetweenReconnectionRetries() {
    return (int) policy("getMinWaitBetweenReconnectionRetries").minWaitMillis();
  }

  /**
   * Takes up to {@code jitter} (0 to 1) of each reconnection wait off at random, so a fleet of
   * clients does not reconnect in lock step (default 0: IX's exact schedule). Not in IXWebSocket.
   */
  public void setReconnectionJitter(double jitter) {
    ClientRole client = role.client("setReconnectionJitter");
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }
    client.updatePolicy(
        p -> new ReconnectPolicy(p.enabled(), p.minWaitMillis(), p.maxWaitMillis(), jitter));
  }

  /**
   * Keeps up to {@code maxMessages} messages sent while disconnected and sends them, in order, as
   * soon as the next connection opens (default 0: sending while disconnected fails at once, as in
   * IXWebSocket). A message that does not fit is refused with a failed result; messages still
   * queued when the WebSocket stops, or when reconnection is off, are dropped and reported in an
   * {@code ERROR}. Not in IXWebSocket. Takes effect at the next {@link #start()}.
   */
  public void setMaxQueuedMessagesWhileReconnecting(int maxMessages) {
    role.client("setMaxQueuedMessagesWhileReconnecting").setMaxQueuedMessages(maxMessages);
  }

  private ReconnectPolicy policy(String method) {
    return role.client(method).reconnectPolicy();
  }

  /** The session settings of a client; refused on an accepted connection. */
  private SessionSettings settings(String method) {
    return role.client(method).settings();
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Connects in the background and keeps the connection alive, as IX's {@code start()}: returns at
   * once; {@code OPEN} or {@code ERROR} follows on the callback, and so do reconnection attempts
   * while automatic reconnection is on. Does nothing if already running.
   *
   * @throws IllegalStateException if no URL was set
   */
  public void start() {
    role.client("start").start();
  }

  /**
   * Connects synchronously, as IX's {@code connect(timeoutSecs)}: returns once the connection is
   * open or failed. {@code OPEN} is delivered to the callback on success; a failure is reported
   * only in the result, and is not retried (call {@link #start()} to keep the connection alive).
   * Must not be called from a callback running on an event loop.
   *
   * @param timeoutSecs the handshake timeout for this attempt, in seconds
   */
  public WebSocketInitResult connect(int timeoutSecs) {
    ClientRole client = role.client("connect");
    if (timeoutSecs < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 s");
    }
    if (EventLoops.inEventLoop()) {
      throw new IllegalStateException("connect() would block an event loop; use start()");
    }
    CompletableFuture<WebSocketInitResult> result = client.connect(timeoutSecs);
    String target = getUrl();
    try {
      return result.get(timeoutSecs + 5L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failedInit("interrupted while connecting", target);
    } catch (ExecutionException | TimeoutException e) {
      return failedInit("connect failed: " + e, target);
    }
  }

  private static WebSocketInitResult failedInit(String reason, String target) {
    return new WebSocketInitResult(false, 0, reason, WebSocketHttpHeaders.EMPTY, target, "");
  }

  /**
   * Closes the connection with 1000 "Normal closure" and waits until it is closed (IX's {@code
   * stop()}); cancels a connection attempt or reconnection wait in progress, and never reconnects.
   * When called from a callback running on an event loop it does not wait.
   */
  public void stop() {
    stop(
        WebSocketCloseConstants.NORMAL_CLOSURE_CODE,
        WebSocketCloseConstants.NORMAL_CLOSURE_MESSAGE);
  }

  /**
   * Closes the connection with {@code code} and {@code reason} and waits until it is closed, at
   * most the close timeout (1 s) plus a margin; does not wait when called on an event loop.
   *
   * @throws IllegalArgumentException if {@code code} may not be sent (see {@link
   *     WebSocketCloseConstants#isValidCloseCode})
   */
  public void stop(int code, String reason) {
    requireValidClose(code, reason);
    CompletableFuture<Void> closed = role.close(code, reason);
    if (EventLoops.inEventLoop()) {
      return; // waiting here would stall the event loop that has to do the closing
    }
    try {
      closed.get(SessionConfig.DEFAULT_CLOSE_TIMEOUT_MILLIS + 2000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      WebSocketSession current = role.session();
      if (current != null) {
        current.abort();
      }
    }
  }

  /**
   * Starts the closing handshake with {@code code} and {@code reason} and returns at once; {@code
   * CLOSE} follows on the callback. A client closed this way does not reconnect.
   *
   * @throws IllegalArgumentException if {@code code} may not be sent
   */
  public void close(int code, String reason) {
    requireValidClose(code, reason);
    role.close(code, reason);
  }

  /** Closes with 1000 "Normal closure" without waiting. */
  public void close() {
    close(
        WebSocketCloseConstants.NORMAL_CLOSURE_CODE,
        WebSocketCloseConstants.NORMAL_CLOSURE_MESSAGE);
  }

  private static void requireValidClose(int code, String reason) {
    if (!WebSocketCloseConstants.isValidCloseCode(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4)");
    }
    Objects.requireNonNull(reason, "reason");
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

  /**
   * Sends {@code message}, a {@code MESSAGE} received on any WebSocket, as it arrived: text as
   * text, binary as binary, its bytes copied straight into the frame without decoding a text
   * payload to a string and encoding it again. For echo servers, relays and gateways. Not in
   * IXWebSocket (IX code writes {@code send(msg->str, msg->binary)}, which works here too).
   *
   * @throws IllegalArgumentException if {@code message} is not of type {@code MESSAGE}
   */
  public WebSocketSendInfo send(WebSocketMessage message) {
    Objects.requireNonNull(message, "message");
    if (message.type() != WebSocketMessageType.MESSAGE) {
      throw new IllegalArgumentException("only MESSAGE messages can be sent: " + message);
    }
    WebSocketSession open = role.openSession();
    return open != null ? open.sendMessage(message) : send(OutgoingMessage.received(message));
  }

  /** Sends a text message. */
  public WebSocketSendInfo sendText(String text) {
    Objects.requireNonNull(text, "text");
    WebSocketSession open = role.openSession();
    return open != null ? open.sendText(text) : send(OutgoingMessage.text(text));
  }

  /** Sends a binary message with a copy of {@code data}. */
  public WebSocketSendInfo sendBinary(byte[] data) {
    Objects.requireNonNull(data, "data");
    WebSocketSession open = role.openSession();
    return open != null
        ? open.sendBinary(data)
        : send(OutgoingMessage.binary(ByteBuffer.wrap(data)));
  }

  /**
   * Sends a binary message with a copy of {@code data}'s remaining bytes (its position is kept).
   */
  public WebSocketSendInfo sendBinary(ByteBuffer data) {
    Objects.requireNonNull(data, "data");
    WebSocketSession open = role.openSession();
    return open != null ? open.sendBinary(data) : send(OutgoingMessage.binary(data));
  }

  /**
   * Sends a binary message whose bytes are the chars of {@code data} (ISO-8859-1).
   *
   * @throws IllegalArgumentException if a char is above U+00FF
   */
  public WebSocketSendInfo sendBinary(String data) {
    Objects.requireNonNull(data, "data");
    WebSocketSession open = role.openSession();
    return open != null ? open.sendBinary(data) : send(OutgoingMessage.binaryString(data));
  }

  // Sends that find the session open go to it directly (as the role would: see
  // WebSocketRole.openSession), without an OutgoingMessage; the others go through the role, which
  // queues or refuses them.
  private WebSocketSendInfo send(OutgoingMessage message) {
    return role.send(message);
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
    if (data.length > Frames.MAX_CONTROL_PAYLOAD) {
      return WebSocketSession.refusePing(data.length);
    }
    WebSocketSession current = role.session();
    return current == null ? SendResults.notOpen(data.length, getReadyState()) : current.ping(data);
  }

  // ------------------------------------------------------------------ state

  /** The connection's state at this moment. */
  public ReadyState getReadyState() {
    return role.readyState();
  }

  /** Bytes of sent messages (frame headers included) not yet written to the socket. */
  public long getBufferedAmount() {
    WebSocketSession current = role.session();
    return current == null ? 0 : current.bufferedAmount();
  }

  /**
   * What the current (or last) connection has sent and received: messages, payload bytes and wire
   * bytes each way, which show what per-message deflate saves. {@link WebSocketTrafficStats#NONE}
   * before the first connection opens. Not in IXWebSocket.
   */
  public WebSocketTrafficStats getTrafficStats() {
    WebSocketSession current = role.session();
    return current == null ? WebSocketTrafficStats.NONE : current.trafficStats();
  }

  private void invokeCallback(WebSocketMessage message) {
    OnMessageCallback callback = onMessageCallback;
    if (callback != null) {
      callback.onMessage(message);
    }
  }

  @Override
  public String toString() {
    return "WebSocket[" + role + ", " + getReadyState() + "]";
  }
}
