package dev.ixws.client.internal;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.internal.session.SendResults;
import dev.ixws.internal.session.SessionState;
import dev.ixws.internal.session.WebSocketSession;
import dev.ixws.internal.transport.Connector;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The life of a client WebSocket across connections: connection attempts, the backoff waits between
 * them, automatic reconnection when a connection ends without the application asking, and the
 * optional queue of messages sent while disconnected.
 *
 * <p>Every decision runs on the client's one event loop, so the events of successive connections
 * stay in order. The public methods are safe from any thread. {@code start} keeps the connection
 * alive (reconnecting as the policy allows) until {@code stop} or {@code close}; {@code connect}
 * makes one attempt and never reconnects on its own.
 */
public final class ClientLifecycle {

  /** What the client is doing. */
  private enum Phase {
    IDLE,
    CONNECTING,
    WAITING,
    OPEN,
    CLOSED
  }

  private final EventLoop loop;
  private final Connector connector;
  private final Consumer<WebSocketMessage> events;
  private final Supplier<ReconnectPolicy> policy;

  // Written on the event loop; volatile where other threads read.
  private volatile Phase phase = Phase.IDLE;
  private volatile WebSocketSession session;
  private volatile boolean keepAlive;
  // Set by start()/connect() on the caller's thread, cleared by their task on the loop.
  private volatile boolean starting;
  private volatile int maxQueued;
  private ClientSpec spec;
  private ConnectAttempt attempt;
  private ScheduledFuture<?> retryTimer;
  private int failures;

  // Messages sent while disconnected; guarded by itself, flushed when a connection opens.
  private final ArrayDeque<OutgoingMessage> queued = new ArrayDeque<>();

  /**
   * @param connector opens each attempt's connection
   * @param events receives every event, on {@code loop}, in order
   * @param policy the current reconnection settings, read at each decision
   */
  public ClientLifecycle(
      EventLoop loop,
      Connector connector,
      Consumer<WebSocketMessage> events,
      Supplier<ReconnectPolicy> policy) {
    this.loop = loop;
    this.connector = connector;
    this.events = events;
    this.policy = policy;
  }

  /** The event loop this client runs on. */
  public EventLoop loop() {
    return loop;
  }

  // ------------------------------------------------------------------ any thread

  /**
   * Connects in the background and keeps the connection alive: failed attempts and unexpected
   * closes are retried as the policy allows, each failure reported as an {@code ERROR}. Does
   * nothing if already running.
   *
   * @param maxQueuedMessages how many messages sent while disconnected are kept (0: none)
   */
  public void start(ClientSpec newSpec, int maxQueuedMessages) {
    // The attempt starts on the loop; until then the caller must already read CONNECTING.
    starting = true;
    onLoop(
        () -> {
          starting = false;
          keepAlive = true;
          maxQueued = maxQueuedMessages;
          if (phase == Phase.IDLE || phase == Phase.CLOSED) {
            spec = newSpec;
            failures = 0;
            attemptNow();
          }
        });
  }

  /**
   * Makes one connection attempt, replacing any attempt or wait in progress; reports a failure only
   * in the result. Completes on the event loop.
   */
  public CompletableFuture<WebSocketInitResult> connect(ClientSpec newSpec) {
    CompletableFuture<WebSocketInitResult> result = new CompletableFuture<>();
    starting = true;
    onLoop(
        () -> {
          starting = false;
          WebSocketSession current = session;
          if (phase == Phase.OPEN && current != null && current.state() == SessionState.OPEN) {
            result.complete(failure(newSpec, "already connected"));
            return;
          }
          cancelPending("replaced by connect()");
          // connect() makes one attempt: neither its failure nor a later close is retried, even
          // when it replaces the wait of an earlier start().
          keepAlive = false;
          spec = newSpec;
          attemptNow().result().whenComplete((r, e) -> result.complete(r));
        });
    return result;
  }

  /**
   * Ends the connection on the application's request, without reconnecting: a pending attempt or
   * wait is cancelled, an open connection closed with {@code code} and {@code reason}, queued
   * messages dropped (and reported). Completes once the connection is closed.
   */
  public CompletableFuture<Void> stop(int code, String reason) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(
        () -> {
          keepAlive = false;
          cancelPending("stopped by the application");
          dropQueued("the WebSocket was stopped");
          WebSocketSession current = session;
          if (phase == Phase.OPEN && current != null) {
            current.close(code, reason);
            current.closed().whenComplete((v, e) -> done.complete(null));
          } else {
            phase = phase == Phase.IDLE ? Phase.IDLE : Phase.CLOSED;
            done.complete(null);
          }
        });
    return done;
  }

  /**
   * Automatic reconnection was just turned off: a reconnection wait in progress ends now, without
   * the attempt it was waiting for, and the queued messages are dropped (and reported). An attempt
   * already in progress runs to its end.
   */
  public void reconnectionDisabled() {
    onLoop(
        () -> {
          if (phase == Phase.WAITING && !policy.get().enabled()) {
            cancelPending("automatic reconnection was turned off");
            dropQueued("automatic reconnection was turned off");
          }
        });
  }

  /** The session while it is open (what {@link #send} sends on at once), else null. */
  public WebSocketSession openSession() {
    WebSocketSession current = session;
    return current != null && current.state() == SessionState.OPEN ? current : null;
  }

  /** Sends now if open; otherwise queues it if queueing is on and a reconnection will follow. */
  public WebSocketSendInfo send(OutgoingMessage message) {
    WebSocketSession current = session;
    if (current != null && current.state() == SessionState.OPEN) {
      return message.sendTo(current);
    }
    if (!reconnectionFollows()) {
      return SendResults.notOpen(message.size(), readyState());
    }
    OutgoingMessage copy = message.detached();
    synchronized (queued) {
      // The queue is flushed and the new session published under this lock: check again.
      current = session;
      if (current != null && current.state() == SessionState.OPEN) {
        return copy.sendTo(current);
      }
      // The loop gives up (phase, keepAlive) before it drops the queue under this lock, so a
      // message is either refused here or dropped and reported, never stranded in the queue.
      if (!reconnectionFollows()) {
        return SendResults.notOpen(message.size(), readyState());
      }
      if (queued.size() >= maxQueued) {
        return WebSocketSendInfo.failed(
            message.size(),
            "not connected and the send queue is full ("
                + maxQueued
                + " messages); this message was not queued");
      }
      queued.add(copy);
      return new WebSocketSendInfo(true, false, message.size(), 0, "");
    }
  }

  /** Whether queueing is on and the client is still trying to (re)connect. */
  private boolean reconnectionFollows() {
    Phase now = phase;
    return maxQueued > 0 && keepAlive && now != Phase.IDLE && now != Phase.CLOSED;
  }

  /** The state the application sees. */
  public ReadyState readyState() {
    return switch (phase) {
      case IDLE, CLOSED -> starting ? ReadyState.CONNECTING : ReadyState.CLOSED;
      case CONNECTING, WAITING -> ReadyState.CONNECTING;
      case OPEN -> {
        WebSocketSession current = session;
        ReadyState now = current == null ? ReadyState.CONNECTING : current.readyState();
        // The connection just closed and the next attempt starts right after its CLOSE event: a
        // callback or sender in between already sees the reconnection (docs/lifecycle.md).
        yield now == ReadyState.CLOSED && keepAlive && policy.get().enabled()
            ? ReadyState.CONNECTING
            : now;
      }
    };
  }

  /** The current (or last) connection's session, or null before the first one opened. */
  public WebSocketSession session() {
    return session;
  }

  // ------------------------------------------------------------------ event loop

  /** Runs {@code task} now when called on the loop (a callback), otherwise as a loop task. */
  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  private ConnectAttempt attemptNow() {
    assert loop.inEventLoop() : "client lifecycle off its event loop";
    phase = Phase.CONNECTING;
    retryTimer = null;
    ConnectAttempt started = ConnectAttempt.start(spec, loop, connector, events, this::onOpen);
    attempt = started;
    started.result().thenAccept(result -> onAttemptEnded(started, result));
    return started;
  }

  /** Called by the attempt on success, before the {@code OPEN} event. */
  private void onOpen(WebSocketSession opened) {
    assert loop.inEventLoop() : "client lifecycle off its event loop";
    failures = 0;
    phase = Phase.OPEN;
    synchronized (queued) {
      // Queued messages go out first, in order, before anything sent from the OPEN callback.
      OutgoingMessage next;
      while ((next = queued.poll()) != null) {
        next.sendTo(opened);
      }
      session = opened;
    }
    opened.closed().thenRun(() -> onClosed(opened));
  }

  private void onAttemptEnded(ConnectAttempt ended, WebSocketInitResult result) {
    assert loop.inEventLoop() : "client lifecycle off its event loop";
    if (result.success() || ended != attempt || ended.isCancelled()) {
      return;
    }
    failures++;
    ReconnectPolicy current = policy.get();
    // The decision is recorded before the ERROR goes out: a callback that calls stop() (inline, on
    // this loop) then cancels the retry instead of being overridden by it, and sees the state
    // that follows the failure.
    if (keepAlive && current.enabled()) {
      long wait = current.waitMillis(failures);
      phase = Phase.WAITING;
      retryTimer = loop.schedule(this::attemptNow, wait, TimeUnit.MILLISECONDS);
      events.accept(error(result, wait));
    } else {
      boolean report = keepAlive;
      phase = Phase.CLOSED;
      if (report) {
        events.accept(error(result, 0));
      }
      dropQueued("the connection failed and automatic reconnection is off");
    }
  }

  private void onClosed(WebSocketSession closed) {
    assert loop.inEventLoop() : "client lifecycle off its event loop";
    if (closed != session || phase != Phase.OPEN) {
      return;
    }
    if (keepAlive && policy.get().enabled()) {
      // As IXWebSocket: the first attempt after a lost connection is immediate.
      attemptNow();
    } else {
      phase = Phase.CLOSED;
      dropQueued("the connection closed and automatic reconnection is off");
    }
  }

  private WebSocketMessage error(WebSocketInitResult result, long waitMillis) {
    return WebSocketMessage.error(
        new WebSocketErrorInfo(
            failures, waitMillis, result.httpStatus(), result.errorStr(), false));
  }

  private void cancelPending(String reason) {
    assert loop.inEventLoop() : "client lifecycle off its event loop";
    if (retryTimer != null) {
      retryTimer.cancel(false);
      retryTimer = null;
    }
    if (attempt != null && !attempt.result().isDone()) {
      attempt.cancel(reason);
    }
    if (phase == Phase.WAITING || phase == Phase.CONNECTING) {
      phase = Phase.CLOSED;
    }
  }

  private void dropQueued(String why) {
    int dropped;
    synchronized (queued) {
      dropped = queued.size();
      queued.clear();
    }
    if (dropped > 0) {
      events.accept(
          WebSocketMessage.error(
              new WebSocketErrorInfo(
                  0, 0, 0, dropped + " queued message(s) were dropped: " + why, false)));
    }
  }

  private static WebSocketInitResult failure(ClientSpec spec, String reason) {
    return new WebSocketInitResult(
        false, 0, reason, WebSocketHttpHeaders.EMPTY, spec.url().target(), "");
  }
}
