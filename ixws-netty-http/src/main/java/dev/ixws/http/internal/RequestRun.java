package dev.ixws.http.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpErrorCode;
import dev.ixws.http.HttpResponse;
import dev.ixws.http.OnChunkCallback;
import dev.ixws.http.OnProgressCallback;
import dev.ixws.internal.tls.TlsClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One public request from start to response: its attempts ({@link Exchange}s), the single retry of
 * an idempotent request whose pooled connection turned out to be closed, redirects, cancellation,
 * and the user callbacks, which all go through one {@link SerialExecutor} so that chunks, progress
 * and log lines arrive in order and before the response.
 *
 * <p>Thread-safe: attempts follow one another (an attempt starts only after the previous one
 * ended), {@link #cancel()} may come from any thread, and the response is set once.
 */
public final class RequestRun {

  // Chunk callback backpressure: reading pauses above HIGH bytes waiting for the callback and
  // resumes below LOW.
  private static final long HIGH_WATER_BYTES = 1 << 20;
  private static final long LOW_WATER_BYTES = 256 << 10;

  private final ConnectionPool pool;
  private final ResponseFactory factory;
  private final CompletableFuture<HttpResponse> future = new CompletableFuture<>();
  private final SerialExecutor callbacks = new SerialExecutor();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicLong pendingChunkBytes = new AtomicLong();
  private volatile boolean cancelled;
  private volatile boolean retried;
  private volatile Exchange current;
  private volatile Runnable cancelAcquire;
  private volatile RequestPlan plan;

  RequestRun(ConnectionPool pool, ResponseFactory factory) {
    this.pool = pool;
    this.factory = factory;
  }

  /** Completed once, on a callback thread, after every other callback of the request. */
  public CompletableFuture<HttpResponse> future() {
    return future;
  }

  void start(RequestPlan first) {
    attempt(first, false);
  }

  private void attempt(RequestPlan next, boolean fresh) {
    plan = next;
    current = null;
    if (cancelled) {
      failed(HttpErrorCode.CANCELLED, "request cancelled", 0, "", 0, 0);
      return;
    }
    HttpUrl.Origin origin = next.url().origin();
    TlsClient tls = next.url().secure() ? next.tls() : null;
    if (tls != null && tls.error() != null) {
      // The options cannot be used (a missing file, a bad PEM): no socket is made.
      failed(
          HttpErrorCode.CANNOT_CREATE_SOCKET,
          "Cannot connect to " + origin + ": " + tls.error(),
          0,
          "",
          0,
          0);
      return;
    }
    cancelAcquire =
        pool.acquire(
            origin,
            tls,
            fresh,
            next.connectTimeoutMillis(),
            new ConnectionPool.Acquirer() {
              @Override
              public void acquired(PooledConnection connection) {
                if (finished.get() || cancelled) {
                  pool.release(connection, !cancelled);
                  RequestRun.this.failed(HttpErrorCode.CANCELLED, "request cancelled", 0, "", 0, 0);
                  return;
                }
                Exchange exchange = new Exchange(RequestRun.this, next, connection, pool);
                current = exchange;
                exchange.start();
                if (cancelled) {
                  exchange.cancel();
                }
              }

              @Override
              public void failed(HttpErrorCode code, String message) {
                RequestRun.this.failed(
                    cancelled ? HttpErrorCode.CANCELLED : code, message, 0, "", 0, 0);
              }
            });
  }

  /** Cancels the request from any thread: it completes with {@code CANCELLED}. */
  public void cancel() {
    cancelled = true;
    Runnable acquiring = cancelAcquire;
    if (acquiring != null) {
      acquiring.run();
    }
    Exchange exchange = current;
    if (exchange != null) {
      exchange.loop().execute(exchange::cancel);
    }
  }

  void stale(RequestPlan stalePlan) {
    if (!retried && stalePlan.idempotent()) {
      retried = true;
      log("* the reused connection was closed by the server; retrying on a new one");
      attempt(stalePlan, true);
    } else {
      failed(
          HttpErrorCode.CANNOT_READ_STATUS_LINE,
          "the server closed the reused connection before answering"
              + (stalePlan.idempotent() ? "" : " (a " + stalePlan.verb() + " is not retried)"),
          0,
          "",
          0,
          0);
    }
  }

  void redirect(RequestPlan from, int status, String location) {
    if (location == null || location.isBlank()) {
      failed(
          HttpErrorCode.MISSING_LOCATION,
          "redirect " + status + " from " + from.url() + " without a Location header",
          status,
          "",
          0,
          0);
      return;
    }
    if (from.redirects() >= from.maxRedirects()) {
      failed(
          HttpErrorCode.TOO_MANY_REDIRECTS,
          "more than "
              + from.maxRedirects()
              + " redirects; the last one from "
              + from.url()
              + " to "
              + location,
          status,
          "",
          0,
          0);
      return;
    }
    HttpUrl target;
    try {
      target = from.url().resolve(location);
    } catch (IllegalArgumentException e) {
      failed(HttpErrorCode.URL_MALFORMED, e.getMessage(), status, "", 0, 0);
      return;
    }
    log("* following redirect " + status + " to " + target);
    attempt(from.redirectedTo(target, status), false);
  }

  void completed(
      int status,
      String description,
      WebSocketHttpHeaders headers,
      byte[] body,
      long uploadSize,
      long downloadSize) {
    finish(
        factory.create(
            status, description, HttpErrorCode.OK, headers, body, "", uploadSize, downloadSize));
  }

  void failed(
      HttpErrorCode code,
      String message,
      int status,
      String description,
      long uploadSize,
      long downloadSize) {
    finish(
        factory.create(
            status,
            description,
            code,
            WebSocketHttpHeaders.EMPTY,
            new byte[0],
            message,
            uploadSize,
            downloadSize));
  }

  private void finish(HttpResponse response) {
    if (finished.compareAndSet(false, true)) {
      callbacks.execute(() -> future.complete(response));
    }
  }

  /** Passes a verbose line to the plan's logger, on the callback thread. */
  void log(String line) {
    RequestPlan current = plan;
    Consumer<String> logger = current == null ? null : current.logger();
    if (current != null && current.verbose() && logger != null) {
      callbacks.execute(() -> logger.accept(line + "\n"));
    }
  }

  /** Hands a body piece to the chunk callback; pauses reading while too much waits (loop). */
  void deliverChunk(byte[] data, Exchange exchange) {
    OnChunkCallback chunks = plan.chunks();
    if (pendingChunkBytes.addAndGet(data.length) > HIGH_WATER_BYTES) {
      exchange.pause();
    }
    callbacks.execute(
        () -> {
          try {
            if (!cancelled) {
              chunks.onChunk(data);
            }
          } finally {
            long left = pendingChunkBytes.addAndGet(-data.length);
            if (left < LOW_WATER_BYTES) {
              exchange.loop().execute(exchange::resume);
            }
          }
        });
  }

  /** Reports progress on the callback thread; a {@code false} answer cancels the request. */
  void progress(long current, long total) {
    OnProgressCallback progress = plan.progress();
    callbacks.execute(
        () -> {
          if (!cancelled && !progress.onProgress(current, total)) {
            cancel();
          }
        });
  }
}
