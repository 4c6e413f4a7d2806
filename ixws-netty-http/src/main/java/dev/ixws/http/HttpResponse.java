package dev.ixws.http;

import dev.ixws.WebSocketHttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An HTTP response, or the failure of a request: IXWebSocket's {@code HttpResponse}. Immutable and
 * thread-safe.
 *
 * <p>A request that got an answer has {@link #errorCode()} {@link HttpErrorCode#OK} and the HTTP
 * status in {@link #statusCode()} (a 404 is still {@code OK}: the exchange worked). A request that
 * failed has another error code, a {@link #errorMsg()} that says what happened, and a status code
 * of 0 unless a status line had been read. The client never throws for what happens on the wire.
 *
 * <p>The body is kept as bytes; {@link #body()} decodes them as UTF-8 (IX's {@code std::string}
 * holds the raw bytes: use {@link #bodyBytes()} for those). When the request had a chunk callback
 * the body was streamed to it and is empty here.
 */
public final class HttpResponse {

  private static final byte[] NO_BYTES = new byte[0];

  private final int statusCode;
  private final String description;
  private final HttpErrorCode errorCode;
  private final WebSocketHttpHeaders headers;
  private final byte[] body;
  private final String errorMsg;
  private final long uploadSize;
  private final long downloadSize;

  /**
   * A response as in the guide's server example: {@code new HttpResponse(200, "OK",
   * HttpErrorCode.OK, headers, content)}; the content is encoded as UTF-8, no error message, sizes
   * 0.
   */
  public HttpResponse(
      int statusCode,
      String description,
      HttpErrorCode errorCode,
      WebSocketHttpHeaders headers,
      String body) {
    this(
        statusCode,
        description,
        errorCode,
        headers,
        Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8),
        "",
        0,
        0);
  }

  /**
   * A response with every field (IX's full constructor); {@code body} is copied.
   *
   * @param uploadSize bytes of request body sent
   * @param downloadSize bytes of response body received (before decompression)
   */
  public HttpResponse(
      int statusCode,
      String description,
      HttpErrorCode errorCode,
      WebSocketHttpHeaders headers,
      byte[] body,
      String errorMsg,
      long uploadSize,
      long downloadSize) {
    this(
        statusCode,
        description,
        errorCode,
        headers,
        Objects.requireNonNull(body, "body").clone(),
        errorMsg,
        uploadSize,
        downloadSize,
        true);
  }

  // The trusted constructor: body is owned by the new response, no copy.
  private HttpResponse(
      int statusCode,
      String description,
      HttpErrorCode errorCode,
      WebSocketHttpHeaders headers,
      byte[] body,
      String errorMsg,
      long uploadSize,
      long downloadSize,
      boolean owned) {
    this.statusCode = statusCode;
    this.description = Objects.requireNonNull(description, "description");
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
    this.errorMsg = Objects.requireNonNull(errorMsg, "errorMsg");
    this.uploadSize = uploadSize;
    this.downloadSize = downloadSize;
  }

  /**
   * A failed request: status 0, no headers, no body, {@code errorCode} and {@code errorMsg}.
   *
   * @param uploadSize bytes of request body sent before the failure
   * @param downloadSize bytes of response body received before the failure
   */
  public static HttpResponse failure(
      HttpErrorCode errorCode, String errorMsg, long uploadSize, long downloadSize) {
    return new HttpResponse(
        0,
        "",
        errorCode,
        WebSocketHttpHeaders.EMPTY,
        NO_BYTES,
        errorMsg,
        uploadSize,
        downloadSize,
        true);
  }

  /** Used by the client for received bodies, without a copy. */
  static HttpResponse received(
      int statusCode,
      String description,
      HttpErrorCode errorCode,
      WebSocketHttpHeaders headers,
      byte[] body,
      String errorMsg,
      long uploadSize,
      long downloadSize) {
    return new HttpResponse(
        statusCode,
        description,
        errorCode,
        headers,
        body,
        errorMsg,
        uploadSize,
        downloadSize,
        true);
  }

  /** The HTTP status code (200, 404...), or 0 when no status line was read. */
  public int statusCode() {
    return statusCode;
  }

  /** The status line's reason phrase ({@code "OK"}), empty when none was read. */
  public String description() {
    return description;
  }

  /** {@link HttpErrorCode#OK} when a response came, otherwise why the request failed. */
  public HttpErrorCode errorCode() {
    return errorCode;
  }

  /**
   * The response headers, case-insensitive; a repeated header has its values joined with {@code ",
   * "}. Empty on failure. When a gzip or deflate body was decoded, {@code Content-Encoding} and
   * {@code Content-Length} describe the decoded body as Netty's decompressor rewrites them.
   */
  public WebSocketHttpHeaders headers() {
    return headers;
  }

  /** The body decoded as UTF-8 (malformed sequences become U+FFFD); empty when there is none. */
  public String body() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Same as {@link #body()}: IX's older name of the field. */
  public String payload() {
    return body();
  }

  /** A copy of the body's bytes (after gzip or deflate decoding). */
  public byte[] bodyBytes() {
    return body.clone();
  }

  /** The body's bytes as a read-only buffer, without a copy. */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** Descriptive message when the request failed; empty on success. */
  public String errorMsg() {
    return errorMsg;
  }

  /** Bytes of request body sent. */
  public long uploadSize() {
    return uploadSize;
  }

  /** Bytes of response body received on the wire (before decompression). */
  public long downloadSize() {
    return downloadSize;
  }

  @Override
  public String toString() {
    return errorCode == HttpErrorCode.OK
        ? "HttpResponse[" + statusCode + " " + description + ", " + body.length + " bytes]"
        : "HttpResponse[" + errorCode + ": " + errorMsg + "]";
  }
}
