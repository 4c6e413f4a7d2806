package dev.ixws.http;

/**
 * Why a request failed, with IXWebSocket's numeric values ({@code ix::HttpErrorCode}). {@link #OK}
 * means a response was received, whatever its HTTP status.
 */
public enum HttpErrorCode {
  /** A response was received (any HTTP status). */
  OK(0),
  /** The TCP connection could not be made: refused, unreachable, unknown host, connect timeout. */
  CANNOT_CONNECT(1),
  /** The transfer timeout ran out before the response was complete. */
  TIMEOUT(2),
  /** The response body could not be decompressed (bad gzip or deflate data). */
  GZIP(3),
  /** The URL could not be parsed, or its scheme is not http or https. */
  URL_MALFORMED(4),
  /** A socket could not be created (also: TLS not available for https yet). */
  CANNOT_CREATE_SOCKET(5),
  /** The request could not be written. */
  SEND_ERROR(6),
  /** Reading the response failed for another reason (also: response too large). */
  READ_ERROR(7),
  /** No valid status line came: garbage, or the connection closed before it. */
  CANNOT_READ_STATUS_LINE(8),
  /** The status line has no valid status code. */
  MISSING_STATUS(9),
  /** The response headers are malformed (bad line, bogus or conflicting Content-Length). */
  HEADER_PARSING_ERROR(10),
  /** A redirect status came without a {@code Location} header. */
  MISSING_LOCATION(11),
  /** More redirects than {@link HttpRequestArgs#getMaxRedirects()} allows. */
  TOO_MANY_REDIRECTS(12),
  /** A chunked body is malformed or ended early. */
  CHUNK_READ_ERROR(13),
  /** The body ended before its {@code Content-Length}. */
  CANNOT_READ_BODY(14),
  /** The request was cancelled ({@link HttpRequestArgs#cancel()} or a progress callback). */
  CANCELLED(15),
  /** An invalid request (for example a method that is not a token). */
  INVALID(100);

  private final int value;

  HttpErrorCode(int value) {
    this.value = value;
  }

  /** IXWebSocket's numeric value of this code. */
  public int value() {
    return value;
  }
}
