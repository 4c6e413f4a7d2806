package dev.ixws.http;

import dev.ixws.WebSocketHttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The arguments of one request: IX's {@code HttpRequestArgs}, with its fields as getters and
 * setters and its defaults. Get one from {@link HttpClient#createRequest()}.
 *
 * <p>Thread-safe: a request reads the arguments once, when it starts (a snapshot), so a change made
 * while it runs applies to the next request made with these arguments. The exception is {@link
 * #cancel()}, which acts on every request running with these arguments at once.
 */
public final class HttpRequestArgs {

  /** IX's default connect timeout: 60 s. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECS = 60;

  /** IX's default transfer timeout: 1800 s. */
  public static final int DEFAULT_TRANSFER_TIMEOUT_SECS = 1800;

  /** IX's default limit of redirects followed: 5. */
  public static final int DEFAULT_MAX_REDIRECTS = 5;

  /** Largest body collected into a response by default: 256 MiB (not in IX). */
  public static final long DEFAULT_MAX_RESPONSE_SIZE_BYTES = 256L * 1024 * 1024;

  private static final byte[] NO_BYTES = new byte[0];

  private volatile String url = "";
  private volatile String verb = HttpClient.GET;
  private volatile WebSocketHttpHeaders extraHeaders = WebSocketHttpHeaders.EMPTY;
  private volatile byte[] body = NO_BYTES;
  private volatile int connectTimeoutSecs = DEFAULT_CONNECT_TIMEOUT_SECS;
  private volatile int transferTimeoutSecs = DEFAULT_TRANSFER_TIMEOUT_SECS;
  private volatile boolean followRedirects = true;
  private volatile int maxRedirects = DEFAULT_MAX_REDIRECTS;
  private volatile boolean verbose;
  private volatile boolean compress = true;
  private volatile boolean compressRequest;
  private volatile Consumer<String> logger;
  private volatile OnProgressCallback onProgressCallback;
  private volatile OnChunkCallback onChunkCallback;
  private volatile long maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE_BYTES;
  private volatile String multipartBoundary;
  private volatile boolean cancelled;
  // Cancels the requests in flight with these arguments; maintained by the client.
  private final Set<Runnable> inFlight = ConcurrentHashMap.newKeySet();

  HttpRequestArgs() {}

  /** The URL ({@code http://host[:port]/path?query}); empty by default. */
  public String getUrl() {
    return url;
  }

  /**
   * Sets the URL. It is parsed when a request starts: a malformed one gives a response with {@link
   * HttpErrorCode#URL_MALFORMED}, not an exception.
   */
  public HttpRequestArgs setUrl(String url) {
    this.url = Objects.requireNonNull(url, "url");
    return this;
  }

  /** The method, {@link HttpClient#GET} by default. */
  public String getVerb() {
    return verb;
  }

  /**
   * Sets the method ({@link HttpClient#GET}, {@link HttpClient#POST}... or any other token).
   *
   * @throws IllegalArgumentException when {@code verb} is empty or not an HTTP token
   */
  public HttpRequestArgs setVerb(String verb) {
    this.verb = checkVerb(verb);
    return this;
  }

  /** Headers added to the request; empty by default. */
  public WebSocketHttpHeaders getExtraHeaders() {
    return extraHeaders;
  }

  /**
   * Sets headers added to the request (IX's {@code args->extraHeaders = headers}). They replace the
   * client's defaults of the same name ({@code User-Agent}, {@code Accept}...); {@code Host},
   * {@code Content-Length} and {@code Transfer-Encoding} are the client's own and cannot be set.
   */
  public HttpRequestArgs setExtraHeaders(WebSocketHttpHeaders extraHeaders) {
    this.extraHeaders = Objects.requireNonNull(extraHeaders, "extraHeaders");
    return this;
  }

  /**
   * Same as {@link #setExtraHeaders(WebSocketHttpHeaders)} from a map.
   *
   * @throws IllegalArgumentException when a name or value contains CR or LF
   */
  public HttpRequestArgs setExtraHeaders(Map<String, String> extraHeaders) {
    return setExtraHeaders(WebSocketHttpHeaders.of(extraHeaders));
  }

  /** A copy of the request body; empty by default. */
  public byte[] getBody() {
    return body.clone();
  }

  /** Sets the request body, encoded as UTF-8. */
  public HttpRequestArgs setBody(String body) {
    this.body = Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** Sets the request body (copied). */
  public HttpRequestArgs setBody(byte[] body) {
    this.body = Objects.requireNonNull(body, "body").clone();
    return this;
  }

  /** Connect timeout in seconds: name resolution plus TCP connect; default 60. */
  public int getConnectTimeout() {
    return connectTimeoutSecs;
  }

  /**
   * Sets the connect timeout in seconds. It bounds the wait for a pooled connection slot, name
   * resolution and the TCP connect; when it runs out the response has {@link
   * HttpErrorCode#CANNOT_CONNECT}, as in IX.
   *
   * @throws IllegalArgumentException when not positive
   */
  public HttpRequestArgs setConnectTimeout(int seconds) {
    this.connectTimeoutSecs = positive(seconds, "connectTimeout");
    return this;
  }

  /** Transfer timeout in seconds: from connected to the last byte of the response; default 1800. */
  public int getTransferTimeout() {
    return transferTimeoutSecs;
  }

  /**
   * Sets the transfer timeout in seconds: the whole time from the connection being ready until the
   * response is complete (a server that trickles bytes does not extend it). When it runs out the
   * response has {@link HttpErrorCode#TIMEOUT}.
   *
   * @throws IllegalArgumentException when not positive
   */
  public HttpRequestArgs setTransferTimeout(int seconds) {
    this.transferTimeoutSecs = positive(seconds, "transferTimeout");
    return this;
  }

  /** Whether redirects (301, 302, 303, 307, 308) are followed; default true. */
  public boolean isFollowRedirects() {
    return followRedirects;
  }

  /** Sets whether redirects are followed; when not, the 3xx response is returned as it is. */
  public HttpRequestArgs setFollowRedirects(boolean followRedirects) {
    this.followRedirects = followRedirects;
    return this;
  }

  /** How many redirects one request may follow; default 5. */
  public int getMaxRedirects() {
    return maxRedirects;
  }

  /**
   * Sets how many redirects one request may follow; one more gives {@link
   * HttpErrorCode#TOO_MANY_REDIRECTS}.
   *
   * @throws IllegalArgumentException when negative
   */
  public HttpRequestArgs setMaxRedirects(int maxRedirects) {
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must not be negative: " + maxRedirects);
    }
    this.maxRedirects = maxRedirects;
    return this;
  }

  /** Whether the request and response heads are logged to the logger; default false. */
  public boolean isVerbose() {
    return verbose;
  }

  /** Sets whether the request and response heads are passed to the {@link #getLogger() logger}. */
  public HttpRequestArgs setVerbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  /** Whether gzip and deflate responses are asked for and decoded; default true, as in IX. */
  public boolean isCompress() {
    return compress;
  }

  /**
   * Sets whether {@code Accept-Encoding: gzip, deflate} is sent. A compressed response is decoded
   * either way; bad compressed data gives {@link HttpErrorCode#GZIP}.
   */
  public HttpRequestArgs setCompress(boolean compress) {
    this.compress = compress;
    return this;
  }

  /** Whether the request body is sent gzipped; default false. */
  public boolean isCompressRequest() {
    return compressRequest;
  }

  /** Sets whether a non-empty request body is gzipped (with {@code Content-Encoding: gzip}). */
  public HttpRequestArgs setCompressRequest(boolean compressRequest) {
    this.compressRequest = compressRequest;
    return this;
  }

  /** The logger of verbose output, or null (the default: nothing is logged). */
  public Consumer<String> getLogger() {
    return logger;
  }

  /**
   * Sets where verbose output goes, one call per line with its line end (IX's {@code
   * args->logger}); called on the request's callback thread. Null for none.
   */
  public HttpRequestArgs setLogger(Consumer<String> logger) {
    this.logger = logger;
    return this;
  }

  /** The download progress callback, or null. */
  public OnProgressCallback getOnProgressCallback() {
    return onProgressCallback;
  }

  /** Sets the download progress callback (IX's {@code onProgressCallback}); null for none. */
  public HttpRequestArgs setOnProgressCallback(OnProgressCallback onProgressCallback) {
    this.onProgressCallback = onProgressCallback;
    return this;
  }

  /** The chunk callback, or null. */
  public OnChunkCallback getOnChunkCallback() {
    return onChunkCallback;
  }

  /**
   * Sets the chunk callback (IX's {@code onChunkCallback}): the body goes to it as it arrives
   * instead of into the response. Null (the default) collects the body.
   */
  public HttpRequestArgs setOnChunkCallback(OnChunkCallback onChunkCallback) {
    this.onChunkCallback = onChunkCallback;
    return this;
  }

  /** The multipart boundary, or null (the default: a random one per request). */
  public String getMultipartBoundary() {
    return multipartBoundary;
  }

  /** Sets the boundary of multipart bodies (IX's {@code multipartBoundary}); null for random. */
  public HttpRequestArgs setMultipartBoundary(String boundary) {
    this.multipartBoundary = boundary;
    return this;
  }

  /** Largest body collected into a response, in bytes; default 256 MiB (not in IX). */
  public long getMaxResponseSize() {
    return maxResponseSize;
  }

  /**
   * Sets the largest (decoded) body collected into a response; a larger one fails with {@link
   * HttpErrorCode#READ_ERROR} as soon as it crosses the limit. Not applied with a chunk callback.
   *
   * @throws IllegalArgumentException when negative
   */
  public HttpRequestArgs setMaxResponseSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxResponseSize must not be negative: " + bytes);
    }
    this.maxResponseSize = bytes;
    return this;
  }

  /**
   * Cancels every request running with these arguments (IX's {@code args->cancel = true}): each
   * completes with {@link HttpErrorCode#CANCELLED} and its connection is closed. A request started
   * with them later fails at once, until {@link #setCancel(boolean) setCancel(false)}.
   */
  public void cancel() {
    setCancel(true);
  }

  /** Sets or clears the cancel flag; setting it acts as {@link #cancel()}. */
  public HttpRequestArgs setCancel(boolean cancel) {
    this.cancelled = cancel;
    if (cancel) {
      for (Runnable request : inFlight) {
        request.run();
      }
    }
    return this;
  }

  /** Whether the cancel flag is set. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** Registers a request in flight: {@link #cancel()} runs {@code cancel} until it is removed. */
  void track(Runnable cancel) {
    inFlight.add(cancel);
  }

  /** Unregisters a request that ended. */
  void untrack(Runnable cancel) {
    inFlight.remove(cancel);
  }

  /** The body without a copy, for the client. */
  byte[] bodyNoCopy() {
    return body;
  }

  private static int positive(int value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
    return value;
  }

  static String checkVerb(String verb) {
    Objects.requireNonNull(verb, "verb");
    if (verb.isEmpty()) {
      throw new IllegalArgumentException("verb is empty");
    }
    for (int i = 0; i < verb.length(); i++) {
      char c = verb.charAt(i);
      // RFC 9110 section 5.6.2 tchar.
      boolean tchar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        throw new IllegalArgumentException("verb is not an HTTP token: " + verb);
      }
    }
    return verb;
  }
}
