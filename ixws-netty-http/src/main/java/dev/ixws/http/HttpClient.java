package dev.ixws.http;

import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.internal.HttpEngine;
import dev.ixws.http.internal.HttpUrl;
import dev.ixws.http.internal.RequestPlan;
import dev.ixws.http.internal.RequestRun;
import dev.ixws.internal.transport.EventLoops;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

/**
 * IXWebSocket's HTTP client, HTTP/1.1 on the event loops shared with the WebSockets, with a
 * keep-alive connection pool.
 *
 * <p>Synchronous use (IX's {@code HttpClient httpClient;}): {@code get}, {@code post}... block the
 * calling thread until the response is complete and return it. Asynchronous use ({@code
 * HttpClient(true)}): {@link #performRequest} returns at once and calls back with the response;
 * {@link #performRequestAsync} gives a {@code CompletableFuture}. Unlike IX, which runs one request
 * at a time per client on a new socket each, any number of requests may run at once on either kind
 * of client; they share pooled connections per scheme, host and port (at most {@link
 * #getMaxConnectionsPerHost()} per origin, idle ones closed after {@link #getIdleTimeout()} s).
 *
 * <p>Failures never throw: they come back as a response with an {@link HttpErrorCode} and a
 * readable {@link HttpResponse#errorMsg()}. Only caller mistakes (null arguments, a header value
 * with CR/LF, a blocking call from an event-loop thread) throw, at once, on the caller's thread.
 *
 * <p>Thread-safe. Callbacks run on a thread of a shared callback pool, never on an event loop;
 * those of one request one at a time, in order (chunks, progress, log lines, then the response).
 * {@link #close()} releases the pooled connections; an unclosed client's idle connections end after
 * the idle timeout anyway.
 *
 * <p>https uses TLS with the options of {@link #setTLSOptions} (IX's {@code
 * httpClient.setTLSOptions}; by default the system trust store, chain and hostname verification on,
 * SNI sent, ALPN offering {@code http/1.1}). Connections are pooled per scheme, host and port, so
 * http and https never share one. A TLS failure (untrusted chain, wrong host name, expired
 * certificate, a peer that does not speak TLS...) gives a response with {@link
 * HttpErrorCode#CANNOT_CONNECT} and the reason in {@link HttpResponse#errorMsg()}; TLS options that
 * cannot be used (a missing file, a bad PEM) give {@link HttpErrorCode#CANNOT_CREATE_SOCKET}.
 */
public final class HttpClient implements AutoCloseable {

  // How long a synchronous call waits for a cancelled request's answer after an interrupt.
  private static final int CANCEL_GRACE_SECS = 5;

  /** IX's {@code kGet}. */
  public static final String GET = "GET";

  /** IX's {@code kPost}. */
  public static final String POST = "POST";

  /** IX's {@code kHead}. */
  public static final String HEAD = "HEAD";

  /** IX's {@code kDelete} ({@code kDel} in older versions). */
  public static final String DELETE = "DELETE";

  /** IX's {@code kPut}. */
  public static final String PUT = "PUT";

  /** IX's {@code kPatch}. */
  public static final String PATCH = "PATCH";

  /** Default limit of open connections per scheme, host and port: 64 (not in IX). */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 64;

  /** Default time an idle pooled connection is kept: 30 s (not in IX). */
  public static final int DEFAULT_IDLE_TIMEOUT_SECS = 30;

  private final boolean async;
  private final HttpEngine engine;
  private volatile int maxConnectionsPerHost = DEFAULT_MAX_CONNECTIONS_PER_HOST;
  private volatile int idleTimeoutSecs = DEFAULT_IDLE_TIMEOUT_SECS;
  private volatile SocketTLSOptions tlsOptions = SocketTLSOptions.defaults();

  /** A synchronous client (IX's default): {@link #performRequest} returns false. */
  public HttpClient() {
    this(false);
  }

  /**
   * A client; {@code async} enables {@link #performRequest}, as in IX. The other methods work on
   * both kinds.
   */
  public HttpClient(boolean async) {
    this.async = async;
    this.engine = new HttpEngine(maxConnectionsPerHost, idleTimeoutSecs * 1000L);
  }

  /** Whether this client was created asynchronous. */
  public boolean isAsync() {
    return async;
  }

  /** New request arguments with IX's defaults: empty URL, {@link #GET}. */
  public HttpRequestArgs createRequest() {
    return new HttpRequestArgs();
  }

  /**
   * New request arguments for {@code url} and {@code verb}, with IX's defaults otherwise.
   *
   * @throws IllegalArgumentException when {@code verb} is not an HTTP token
   */
  public HttpRequestArgs createRequest(String url, String verb) {
    return new HttpRequestArgs().setUrl(url).setVerb(verb);
  }

  /** The limit of open connections per scheme, host and port; default 64. */
  public int getMaxConnectionsPerHost() {
    return maxConnectionsPerHost;
  }

  /**
   * Sets the limit of open (busy plus idle) connections per scheme, host and port; requests beyond
   * it wait, within their connect timeout, for a connection to be released. Takes effect for the
   * next requests.
   *
   * @throws IllegalArgumentException when not positive
   */
  public HttpClient setMaxConnectionsPerHost(int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("maxConnectionsPerHost must be positive: " + max);
    }
    maxConnectionsPerHost = max;
    engine.setMaxConnectionsPerHost(max);
    return this;
  }

  /** Seconds an idle pooled connection is kept; default 30. */
  public int getIdleTimeout() {
    return idleTimeoutSecs;
  }

  /**
   * Sets how long, in seconds, an idle connection stays in the pool; 0 closes connections after
   * each response (no keep-alive reuse). Applies to connections released from now on.
   *
   * @throws IllegalArgumentException when negative
   */
  public HttpClient setIdleTimeout(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("idleTimeout must not be negative: " + seconds);
    }
    idleTimeoutSecs = seconds;
    engine.setIdleTimeoutMillis(seconds * 1000L);
    return this;
  }

  /**
   * Sets the TLS options of https requests (IX's {@code setTLSOptions} on its {@code HttpClient};
   * IX's {@code HttpRequestArgs} has none, so neither has ours): trusted roots ({@code caFile}:
   * {@code SYSTEM} by default, {@code NONE} to skip verification), a client certificate ({@code
   * certFile}/{@code keyFile}), ciphers, hostname validation. The files are read when a request
   * starts, on the caller's thread, and the prepared contexts are cached. Takes effect for the
   * requests started from now on; pooled connections made with other options are not reused for
   * them.
   *
   * @throws NullPointerException when {@code options} is null
   */
  public HttpClient setTLSOptions(SocketTLSOptions options) {
    tlsOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  /** The TLS options of https requests: those of {@link #setTLSOptions}, or IX's defaults. */
  public SocketTLSOptions getTLSOptions() {
    return tlsOptions;
  }

  /** HEAD {@code url} with {@code args} (its URL, verb and body are not used); blocks. */
  public HttpResponse head(String url, HttpRequestArgs args) {
    return request(url, HEAD, new byte[0], args);
  }

  /** GET {@code url} with {@code args} (its URL, verb and body are not used); blocks. */
  public HttpResponse get(String url, HttpRequestArgs args) {
    return request(url, GET, new byte[0], args);
  }

  /** DELETE {@code url} with {@code args}: IX's {@code del}; blocks. */
  public HttpResponse del(String url, HttpRequestArgs args) {
    return request(url, DELETE, new byte[0], args);
  }

  /**
   * POST {@code parameters} to {@code url} as {@code application/x-www-form-urlencoded} (IX's
   * {@code post(url, httpParameters, args)}); blocks.
   */
  public HttpResponse post(String url, HttpParameters parameters, HttpRequestArgs args) {
    return request(url, POST, serializeHttpParameters(parameters), args);
  }

  /**
   * POST {@code body} (UTF-8) to {@code url}; its {@code Content-Type} is {@code
   * application/x-www-form-urlencoded} unless the extra headers set one, as in IX. Blocks.
   */
  public HttpResponse post(String url, String body, HttpRequestArgs args) {
    return request(url, POST, body, args);
  }

  /**
   * POST a {@code multipart/form-data} body (RFC 7578) of {@code parameters} (text fields) and
   * {@code formData} (file parts), IX's {@code post(url, httpParameters, httpFormDataParameters,
   * args)}; the boundary is {@link HttpRequestArgs#getMultipartBoundary()}, or a random one. A
   * {@code Content-Type} in the extra headers is replaced by the multipart one. Blocks.
   */
  public HttpResponse post(
      String url,
      HttpParameters parameters,
      HttpFormDataParameters formData,
      HttpRequestArgs args) {
    String boundary = args.getMultipartBoundary();
    if (boundary == null) {
      boundary = randomBoundary();
    }
    byte[] body = serializeHttpFormDataParameters(boundary, formData, parameters);
    WebSocketHttpHeaders headers =
        args.getExtraHeaders().toBuilder()
            .remove("Content-Type")
            .set("Content-Type", "multipart/form-data; boundary=" + boundary)
            .build();
    return blocking(url, POST, body, args, headers);
  }

  private static String randomBoundary() {
    byte[] random = new byte[16];
    new java.security.SecureRandom().nextBytes(random);
    StringBuilder boundary = new StringBuilder("ixws-netty-");
    for (byte b : random) {
      boundary
          .append(Character.forDigit((b >> 4) & 0xf, 16))
          .append(Character.forDigit(b & 0xf, 16));
    }
    return boundary.toString();
  }

  /**
   * The {@code multipart/form-data} body of {@code formData} (file parts, first) and {@code
   * parameters} (text fields) with {@code boundary} (IX's {@code serializeHttpFormDataParameters}).
   *
   * @throws IllegalArgumentException when the boundary is empty, longer than 70 characters or has
   *     characters RFC 2046 section 5.1.1 does not allow
   */
  public byte[] serializeHttpFormDataParameters(
      String boundary, HttpFormDataParameters formData, HttpParameters parameters) {
    if (!boundary.matches("[0-9A-Za-z'()+_,\\-./:=?]{1,70}")) {
      throw new IllegalArgumentException("invalid multipart boundary: " + boundary);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (HttpFormDataParameters.Part part : formData.parts()) {
      ascii(out, "--" + boundary + "\r\n");
      ascii(
          out,
          "Content-Disposition: form-data; name=\""
              + part.name()
              + "\"; filename=\""
              + part.fileName()
              + "\"\r\n");
      ascii(out, "Content-Type: " + part.contentType() + "\r\n\r\n");
      out.writeBytes(part.contentNoCopy());
      ascii(out, "\r\n");
    }
    for (Map.Entry<String, String> field : parameters.asMap().entrySet()) {
      if (field.getKey().indexOf('"') >= 0
          || field.getKey().indexOf('\r') >= 0
          || field.getKey().indexOf('\n') >= 0) {
        throw new IllegalArgumentException(
            "CR, LF or quote in a form field name: " + field.getKey());
      }
      ascii(out, "--" + boundary + "\r\n");
      ascii(out, "Content-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n");
      ascii(out, "Content-Type: text/plain; charset=utf-8\r\n\r\n");
      out.writeBytes(field.getValue().getBytes(StandardCharsets.UTF_8));
      ascii(out, "\r\n");
    }
    ascii(out, "--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** PUT {@code parameters} as a form; blocks. */
  public HttpResponse put(String url, HttpParameters parameters, HttpRequestArgs args) {
    return request(url, PUT, serializeHttpParameters(parameters), args);
  }

  /** PUT {@code body} (UTF-8); blocks. */
  public HttpResponse put(String url, String body, HttpRequestArgs args) {
    return request(url, PUT, body, args);
  }

  /** PATCH {@code parameters} as a form; blocks. */
  public HttpResponse patch(String url, HttpParameters parameters, HttpRequestArgs args) {
    return request(url, PATCH, serializeHttpParameters(parameters), args);
  }

  /** PATCH {@code body} (UTF-8); blocks. */
  public HttpResponse patch(String url, String body, HttpRequestArgs args) {
    return request(url, PATCH, body, args);
  }

  /**
   * Sends {@code verb} to {@code url} with {@code body} (UTF-8) and the rest of {@code args} (whose
   * own URL, verb and body are not used nor changed); blocks until the response is complete.
   *
   * @throws IllegalStateException when called on an event-loop thread, which it would stall
   * @throws IllegalArgumentException when {@code verb} is not an HTTP token
   */
  public HttpResponse request(String url, String verb, String body, HttpRequestArgs args) {
    return request(
        url, verb, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8), args);
  }

  /** Same as {@link #request(String, String, String, HttpRequestArgs)} with a binary body. */
  public HttpResponse request(String url, String verb, byte[] body, HttpRequestArgs args) {
    return blocking(url, verb, body, args, null);
  }

  private HttpResponse blocking(
      String url, String verb, byte[] body, HttpRequestArgs args, WebSocketHttpHeaders headers) {
    if (EventLoops.inEventLoop()) {
      throw new IllegalStateException(
          "a synchronous HTTP request would block an event loop: use performRequestAsync");
    }
    Sent sent =
        send(
            Objects.requireNonNull(url, "url"),
            HttpRequestArgs.checkVerb(verb),
            Objects.requireNonNull(body, "body"),
            Objects.requireNonNull(args, "args"),
            headers);
    return await(sent);
  }

  /** A request started: its future and how to cancel it alone. */
  private record Sent(CompletableFuture<HttpResponse> future, Runnable cancel) {}

  private static HttpResponse await(Sent sent) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (!interrupted) {
            return sent.future().get();
          }
          // Cancelled: its CANCELLED response follows promptly; a caller that was interrupted
          // is never left waiting on a request that fails to answer its cancel.
          return sent.future().get(CANCEL_GRACE_SECS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          // This request alone is cancelled (not the args), and the thread's interrupt status is
          // restored.
          interrupted = true;
          sent.cancel().run();
        } catch (TimeoutException e) {
          return HttpResponse.failure(
              HttpErrorCode.CANCELLED,
              "request cancelled (it did not end within " + CANCEL_GRACE_SECS + " s of the cancel)",
              0,
              0);
        } catch (ExecutionException e) {
          return HttpResponse.failure(
              HttpErrorCode.INVALID, "internal error: " + e.getCause(), 0, 0);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Queues {@code args} (its URL, verb and body) and returns at once; {@code callback} gets the
   * response on a callback thread (IX: "executes in a background thread"), never an event loop.
   *
   * @return false, and nothing is sent, when this client is not asynchronous (IX's contract)
   */
  public boolean performRequest(HttpRequestArgs args, OnResponseCallback callback) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(callback, "callback");
    if (!async) {
      return false;
    }
    performRequestAsync(args).thenAccept(callback::onResponse);
    return true;
  }

  /**
   * Starts {@code args} (its URL, verb and body) and returns a future of its response, on either
   * kind of client. The future never completes exceptionally: failures are responses with an error
   * code. It completes on a callback thread; dependent stages without an executor run there.
   */
  public CompletableFuture<HttpResponse> performRequestAsync(HttpRequestArgs args) {
    Objects.requireNonNull(args, "args");
    return send(args.getUrl(), args.getVerb(), args.bodyNoCopy(), args, null).future();
  }

  private Sent send(
      String url,
      String verb,
      byte[] body,
      HttpRequestArgs args,
      WebSocketHttpHeaders headersOverride) {
    if (args.isCancelled()) {
      return done(HttpResponse.failure(HttpErrorCode.CANCELLED, "request cancelled", 0, 0));
    }
    HttpUrl parsed;
    try {
      parsed = HttpUrl.parse(url);
    } catch (IllegalArgumentException e) {
      return done(HttpResponse.failure(HttpErrorCode.URL_MALFORMED, e.getMessage(), 0, 0));
    }
    boolean gzip = args.isCompressRequest() && body.length > 0;
    RequestPlan plan =
        new RequestPlan(
            parsed,
            verb,
            headersOverride == null ? args.getExtraHeaders() : headersOverride,
            gzip ? gzip(body) : body,
            gzip,
            args.getConnectTimeout() * 1000L,
            args.getTransferTimeout() * 1000L,
            args.isFollowRedirects(),
            args.getMaxRedirects(),
            0,
            args.isVerbose(),
            args.isCompress(),
            args.getLogger(),
            args.getOnProgressCallback(),
            args.getOnChunkCallback(),
            args.getMaxResponseSize(),
            tlsOptions,
            null);
    RequestRun run = engine.start(plan.withTls(), HttpResponse::received);
    Runnable cancel = run::cancel;
    args.track(cancel);
    if (args.isCancelled()) {
      run.cancel();
    }
    CompletableFuture<HttpResponse> future = run.future();
    future.whenComplete((response, error) -> args.untrack(cancel));
    return new Sent(future, cancel);
  }

  private static Sent done(HttpResponse response) {
    return new Sent(CompletableFuture.completedFuture(response), () -> {});
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@code parameters} as {@code application/x-www-form-urlencoded}: {@code a=1&b=x%20y}, in
   * insertion order (IX's {@code serializeHttpParameters}).
   */
  public String serializeHttpParameters(HttpParameters parameters) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> field : parameters.asMap().entrySet()) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(urlEncode(field.getKey())).append('=').append(urlEncode(field.getValue()));
    }
    return out.toString();
  }

  /**
   * Percent-encodes {@code value} (UTF-8): letters, digits and {@code -_.~} stay, everything else
   * becomes {@code %XX}, a space {@code %20} (IX's {@code urlEncode}).
   */
  public static String urlEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  /**
   * Closes the pooled connections: idle ones now, busy ones when their request ends; requests
   * waiting for a connection fail with {@link HttpErrorCode#CANNOT_CONNECT}. Later requests fail
   * the same way.
   */
  @Override
  public void close() {
    engine.close();
  }

  /** Open connections to the scheme, host and port of {@code url} (for tests and diagnosis). */
  int openConnections(String url) {
    return engine.openConnections(HttpUrl.parse(url));
  }

  /** Idle pooled connections to the origin of {@code url} (for tests and diagnosis). */
  int idleConnections(String url) {
    return engine.idleConnections(HttpUrl.parse(url));
  }
}
