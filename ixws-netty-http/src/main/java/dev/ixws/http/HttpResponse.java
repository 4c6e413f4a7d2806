package dev.ixws.http;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.internal.ResponseBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>On an {@link HttpServer} the same type is the answer a callback returns: build one with the
 * guide's constructor or a short factory ({@link #ok(String)}, {@link #of(int, String)}, {@link
 * #notFound()}), or with a streaming body ({@link #file(Path)}, {@link #stream}) that the server
 * reads while it writes, so a large body is never held in memory. A streaming response can be sent
 * once: its stream is consumed (and closed) by the first server that writes it.
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
  // A server response's file or stream body, or null (the body is then the bytes above).
  private final ResponseBody streaming;

  static {
    ResponseBody.register(response -> ((HttpResponse) response).streaming);
  }

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
    this.streaming = null;
  }

  // A server response with a streaming body.
  private HttpResponse(
      int statusCode, String description, WebSocketHttpHeaders headers, ResponseBody streaming) {
    this.statusCode = statusCode;
    this.description = Objects.requireNonNull(description, "description");
    this.errorCode = HttpErrorCode.OK;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = NO_BYTES;
    this.errorMsg = "";
    this.uploadSize = 0;
    this.downloadSize = 0;
    this.streaming = streaming;
  }

  /** A 200 "OK" response with {@code body} (UTF-8) as {@code text/plain; charset=utf-8}. */
  public static HttpResponse ok(String body) {
    return text(200, "OK", body);
  }

  /**
   * A response with {@code statusCode}, its standard reason phrase and {@code body} (UTF-8) as
   * {@code text/plain; charset=utf-8}.
   */
  public static HttpResponse of(int statusCode, String body) {
    return text(statusCode, reasonPhrase(statusCode), body);
  }

  /** A 404 "Not Found" response with the body {@code "Not Found"}. */
  public static HttpResponse notFound() {
    return of(404, "Not Found");
  }

  /**
   * A response with {@code statusCode}, its standard reason phrase, {@code headers} and {@code
   * body} (copied).
   */
  public static HttpResponse of(int statusCode, WebSocketHttpHeaders headers, byte[] body) {
    return new HttpResponse(
        statusCode, reasonPhrase(statusCode), HttpErrorCode.OK, headers, body, "", 0, 0);
  }

  private static HttpResponse text(int statusCode, String description, String body) {
    return new HttpResponse(
        statusCode,
        description,
        HttpErrorCode.OK,
        WebSocketHttpHeaders.builder().set("Content-Type", "text/plain; charset=utf-8").build(),
        body);
  }

  /**
   * A 200 response whose body is the file at {@code path}, streamed by the server (zero-copy on a
   * plain connection) and never read into memory; its {@code Content-Length} is the file's size
   * now. No {@code Content-Type} is set: add one with {@link #file(int, String,
   * WebSocketHttpHeaders, Path)}.
   *
   * @throws UncheckedIOException when the file's size cannot be read
   */
  public static HttpResponse file(Path path) {
    return file(200, "OK", WebSocketHttpHeaders.EMPTY, path);
  }

  /**
   * A response whose body is the whole file at {@code path}, streamed by the server.
   *
   * @throws UncheckedIOException when the file's size cannot be read
   */
  public static HttpResponse file(
      int statusCode, String description, WebSocketHttpHeaders headers, Path path) {
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file(statusCode, description, headers, path, 0, size);
  }

  /**
   * A response whose body is {@code length} bytes of the file at {@code path} from {@code offset}
   * (a byte range), streamed by the server.
   */
  public static HttpResponse file(
      int statusCode,
      String description,
      WebSocketHttpHeaders headers,
      Path path,
      long offset,
      long length) {
    return new HttpResponse(
        statusCode, description, headers, ResponseBody.ofFile(path, offset, length));
  }

  /**
   * A response whose body is read from {@code body} while the server writes it, off the event
   * loops; the server closes the stream when done or when the connection fails. With {@code
   * contentLength} -1 the body is sent chunked (HTTP/1.1) or until the connection closes
   * (HTTP/1.0); otherwise exactly that many bytes are sent (a stream that ends early cuts the
   * connection).
   */
  public static HttpResponse stream(
      int statusCode,
      String description,
      WebSocketHttpHeaders headers,
      InputStream body,
      long contentLength) {
    if (contentLength < -1) {
      throw new IllegalArgumentException("content length must be -1 or more: " + contentLength);
    }
    return new HttpResponse(
        statusCode, description, headers, ResponseBody.ofStream(body, contentLength));
  }

  /**
   * Whether the body is a file or a stream that the server reads while writing it; {@link #body()}
   * and {@link #bodyBytes()} are then empty.
   */
  public boolean isStreaming() {
    return streaming != null;
  }

  /** The standard reason phrase of {@code statusCode} (RFC 9110), or {@code ""} when unknown. */
  static String reasonPhrase(int statusCode) {
    return switch (statusCode) {
      case 100 -> "Continue";
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 416 -> "Range Not Satisfiable";
      case 417 -> "Expectation Failed";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
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
