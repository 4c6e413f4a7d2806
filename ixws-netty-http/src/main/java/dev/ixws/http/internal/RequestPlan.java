package dev.ixws.http.internal;

import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.OnChunkCallback;
import dev.ixws.http.OnProgressCallback;
import dev.ixws.internal.tls.TlsClient;
import dev.ixws.internal.tls.TlsEngine;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The immutable snapshot of one request, taken on the caller's thread when it starts: what the I/O
 * code reads. A redirect makes a new plan ({@link #redirectedTo}).
 *
 * @param body the body as sent (already gzipped when {@code compressRequest}); owned by the plan
 * @param redirects how many redirects led to this plan
 * @param tlsOptions the client's TLS options when the request started
 * @param tls those options prepared (null until an https URL needs them: see {@link #withTls})
 */
public record RequestPlan(
    HttpUrl url,
    String verb,
    WebSocketHttpHeaders extraHeaders,
    byte[] body,
    boolean bodyGzipped,
    long connectTimeoutMillis,
    long transferTimeoutMillis,
    boolean followRedirects,
    int maxRedirects,
    int redirects,
    boolean verbose,
    boolean compress,
    Consumer<String> logger,
    OnProgressCallback progress,
    OnChunkCallback chunks,
    long maxResponseSize,
    SocketTLSOptions tlsOptions,
    TlsClient tls) {

  // RFC 9110 section 9.2.2: these may be sent again after a connection failure.
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

  // Headers that must not follow a redirect to another origin (RFC 9110 section 15.4: the
  // credentials were meant for the first one).
  private static final Set<String> CREDENTIALS =
      Set.of("authorization", "proxy-authorization", "cookie");

  /** Whether the request may be retried on another connection (RFC 9110 section 9.2.2). */
  boolean idempotent() {
    return IDEMPOTENT.contains(verb);
  }

  /** Whether the verb is HEAD, whose responses have no body. */
  boolean head() {
    return verb.equals("HEAD");
  }

  /**
   * The plan for following a redirect with status {@code status} to {@code target} (RFC 9110
   * section 15.4): 303 becomes GET without a body (except HEAD), 301 and 302 turn a POST into a GET
   * as every browser does, 307 and 308 keep the method and body; credentials are dropped when the
   * origin changes.
   */
  RequestPlan redirectedTo(HttpUrl target, int status) {
    String nextVerb = verb;
    boolean dropBody = false;
    if ((status == 303 && !head()) || ((status == 301 || status == 302) && verb.equals("POST"))) {
      nextVerb = "GET";
      dropBody = true;
    }
    WebSocketHttpHeaders.Builder headers = extraHeaders.toBuilder();
    if (dropBody) {
      headers.remove("Content-Type").remove("Content-Encoding");
    }
    if (!target.origin().equals(url.origin())) {
      extraHeaders.forEach(
          (name, value) -> {
            if (CREDENTIALS.contains(name.toLowerCase(Locale.ROOT))) {
              headers.remove(name);
            }
          });
    }
    return new RequestPlan(
            target,
            nextVerb,
            headers.build(),
            dropBody ? new byte[0] : body,
            !dropBody && bodyGzipped,
            connectTimeoutMillis,
            transferTimeoutMillis,
            followRedirects,
            maxRedirects,
            redirects + 1,
            verbose,
            compress,
            logger,
            progress,
            chunks,
            maxResponseSize,
            tlsOptions,
            tls)
        .withTls();
  }

  /** The ALPN protocols the HTTP client offers: {@code http/1.1} only for now. */
  static final List<String> ALPN = List.of("http/1.1");

  /**
   * This plan with its TLS options prepared when its URL is https and they are not yet: on the
   * caller's thread when a request starts; on an event loop only for a redirect from http to https
   * (the prepared contexts are cached, so the files are read once).
   */
  public RequestPlan withTls() {
    if (!url.secure() || tls != null) {
      return this;
    }
    return new RequestPlan(
        url,
        verb,
        extraHeaders,
        body,
        bodyGzipped,
        connectTimeoutMillis,
        transferTimeoutMillis,
        followRedirects,
        maxRedirects,
        redirects,
        verbose,
        compress,
        logger,
        progress,
        chunks,
        maxResponseSize,
        tlsOptions,
        TlsClient.prepare(tlsOptions, TlsEngine.current(), ALPN));
  }
}
