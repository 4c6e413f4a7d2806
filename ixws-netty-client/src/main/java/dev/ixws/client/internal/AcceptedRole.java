package dev.ixws.client.internal;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.internal.session.CallbackDispatcher;
import dev.ixws.internal.session.SendResults;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.WebSocketSession;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@code WebSocket} that a server accepted: one connection, already open when the application
 * sees it, never reconnected. The server creates it with {@link WebSocketAccess#newAccepted}, then
 * binds the session with {@link #attach}.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class AcceptedRole implements WebSocketRole {

  private final CallbackDispatcher dispatcher;
  private final SessionConfig config;
  private volatile Consumer<WebSocketMessage> callback;
  private volatile WebSocketSession session;
  private volatile String target;
  private volatile String protocol = "";

  /**
   * @param dispatcher runs the connection's callbacks (the server's callback executor)
   * @param config the settings the connection's session runs with
   */
  public AcceptedRole(CallbackDispatcher dispatcher, SessionConfig config) {
    this.dispatcher = dispatcher;
    this.config = config;
  }

  /** Called once by the {@code WebSocket} that takes this role, with its callback invoker. */
  public void bind(Consumer<WebSocketMessage> userCallback) {
    if (callback != null) {
      throw new IllegalStateException("role already bound to a WebSocket");
    }
    callback = Objects.requireNonNull(userCallback, "userCallback");
  }

  /** Binds the open session; {@code getUrl()} becomes {@code requestTarget}. Event loop. */
  public void attach(WebSocketSession openSession, String requestTarget, String subprotocol) {
    target = requestTarget;
    protocol = subprotocol;
    session = openSession;
  }

  /** Passes an event to the WebSocket's callback through the dispatcher. */
  public void deliver(WebSocketMessage message) {
    dispatcher.dispatch(callback, message);
  }

  /** Runs {@code task} through the dispatcher, in order with the connection's events. */
  public void dispatch(Runnable task) {
    dispatcher.dispatch(task);
  }

  @Override
  public ClientRole client(String method) {
    throw new IllegalStateException(
        method + "() is for client WebSockets; this one was accepted by a server");
  }

  @Override
  public WebSocketSendInfo send(OutgoingMessage message) {
    WebSocketSession current = session;
    return current == null
        ? SendResults.notOpen(message.size(), ReadyState.CONNECTING)
        : message.sendTo(current);
  }

  @Override
  public CompletableFuture<Void> close(int code, String reason) {
    WebSocketSession current = session;
    if (current == null) {
      return CompletableFuture.completedFuture(null);
    }
    current.close(code, reason);
    return current.closed();
  }

  @Override
  public WebSocketSession openSession() {
    return session; // its sends check the state themselves, as send(OutgoingMessage) does
  }

  @Override
  public WebSocketSession session() {
    return session;
  }

  @Override
  public ReadyState readyState() {
    WebSocketSession current = session;
    return current == null ? ReadyState.CONNECTING : current.readyState();
  }

  @Override
  public String url() {
    return target;
  }

  @Override
  public int maxMessageSize() {
    return config.maxMessageSize();
  }

  @Override
  public PerMessageDeflateOptions perMessageDeflateOptions() {
    WebSocketSession current = session;
    return current == null ? PerMessageDeflateOptions.DISABLED : current.agreedDeflateOptions();
  }

  @Override
  public int pingIntervalSecs() {
    long millis = config.heartbeat().pingIntervalMillis();
    return millis == 0 ? -1 : (int) (millis / 1000);
  }

  @Override
  public List<String> subprotocols() {
    String chosen = protocol;
    return chosen.isEmpty() ? List.of() : List.of(chosen);
  }

  @Override
  public String toString() {
    return "accepted " + target;
  }
}
