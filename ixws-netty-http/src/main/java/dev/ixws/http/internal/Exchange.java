package dev.ixws.http.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpErrorCode;
import dev.ixws.internal.tls.TlsFailures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response on one connection: writes the request, reads the response, enforces
 * the transfer timeout, the size limit and cancellation, then gives the connection back to the pool
 * (kept alive when the response allows) and reports to its {@link RequestRun}. Every method runs on
 * the connection's event loop; each exchange ends exactly once ({@link #done}).
 *
 * <p>Every way a response can be wrong maps to one error code here: a bad status line ({@code
 * CANNOT_READ_STATUS_LINE}, {@code MISSING_STATUS}), bad headers including bogus or conflicting
 * {@code Content-Length} ({@code HEADER_PARSING_ERROR}, RFC 9112 section 6.3), a body cut short
 * ({@code CANNOT_READ_BODY}) or a bad chunk ({@code CHUNK_READ_ERROR}), undecodable gzip ({@code
 * GZIP}), too large a body ({@code READ_ERROR}), the transfer timeout ({@code TIMEOUT}).
 */
final class Exchange implements ConnectionHandler.Listener {

  /** The placeholder status of Netty's decoder for a status line it could not parse. */
  private static final int UNPARSED_STATUS = 999;

  /** Headers the client computes itself; values for them in the extra headers are ignored. */
  private static final java.util.Set<String> OWN_HEADERS =
      java.util.Set.of("content-length", "transfer-encoding");

  private final RequestRun run;
  private final RequestPlan plan;
  private final PooledConnection connection;
  private final ConnectionPool pool;
  private final Channel channel;
  private final WireCounter wire;
  private final HeadLineCheck headLines;
  // CRC-32 of the decoded body, checked against the gzip trailer at the end.
  private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();

  private HttpResponse head;
  private boolean anyResponse;
  private boolean informational;
  private boolean followRedirect;
  private BodyBuffer body;
  private long decodedBytes;
  private long uploadSize;
  private boolean requestSaysClose;
  private boolean done;
  // A write that failed because the TLS engine closed; the reason is reported with the close.
  private Throwable tlsSendFailure;
  private boolean paused;
  private Future<?> timer;

  Exchange(RequestRun run, RequestPlan plan, PooledConnection connection, ConnectionPool pool) {
    this.run = run;
    this.plan = plan;
    this.connection = connection;
    this.pool = pool;
    this.channel = connection.channel;
    this.wire = channel.pipeline().get(WireCounter.class);
    this.headLines = channel.pipeline().get(HeadLineCheck.class);
  }

  EventLoop loop() {
    return channel.eventLoop();
  }

  /** Whether the connection had carried an exchange before this one (a pooled connection). */
  private boolean reused() {
    return connection.uses > 1;
  }

  void start() {
    connection.handler.attach(this);
    if (!channel.isActive()) {
      // Closed before it was attached: its channelInactive went to no one and will not come again.
      onInactive();
      return;
    }
    wire.reset();
    headLines.arm();
    FullHttpRequest request = request();
    requestSaysClose = !HttpUtil.isKeepAlive(request);
    if (plan.verbose()) {
      run.log("> " + request.method() + " " + request.uri() + " " + request.protocolVersion());
      for (Map.Entry<String, String> header : request.headers()) {
        run.log("> " + header.getKey() + ": " + header.getValue());
      }
    }
    timer =
        loop()
            .schedule(
                () ->
                    fail(
                        HttpErrorCode.TIMEOUT,
                        "no complete response from "
                            + plan.url().origin()
                            + " within the transfer timeout of "
                            + plan.transferTimeoutMillis()
                            + " ms"),
                plan.transferTimeoutMillis(),
                TimeUnit.MILLISECONDS);
    int bodyLength = plan.body().length;
    channel
        .writeAndFlush(request)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                uploadSize = bodyLength;
              } else if (!done) {
                if (!anyResponse && reused()) {
                  staleConnection();
                } else if (TlsFailures.isTls(f.cause())) {
                  // The engine closed (a TLS 1.3 server refusing our certificate after the
                  // handshake): its reason (the alert) usually follows as the pipeline's failure
                  // within this same read, so the close waits a turn of the loop to let it
                  // arrive; without it, the close reports this failure.
                  tlsSendFailure = f.cause();
                  channel
                      .eventLoop()
                      .execute(
                          () -> {
                            channel.close();
                            // A channel that had closed already fires no channelInactive again.
                            onInactive();
                          });
                } else {
                  fail(HttpErrorCode.SEND_ERROR, "Cannot send the request: " + f.cause());
                }
              }
            });
  }

  private FullHttpRequest request() {
    byte[] content = plan.body();
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.valueOf(plan.verb()),
            plan.url().target(),
            content.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(content));
    HttpHeaders headers = request.headers();
    headers.set(HttpHeaderNames.HOST, plan.url().hostHeader());
    headers.set(HttpHeaderNames.USER_AGENT, Version.USER_AGENT);
    headers.set(HttpHeaderNames.ACCEPT, "*/*");
    if (plan.compress()) {
      headers.set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate");
    }
    boolean bodyVerb =
        plan.verb().equals("POST") || plan.verb().equals("PUT") || plan.verb().equals("PATCH");
    if (content.length > 0 || bodyVerb) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, content.length);
      // IX's default body type.
      headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED);
    }
    if (plan.bodyGzipped()) {
      headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
    }
    plan.extraHeaders()
        .forEach(
            (name, value) -> {
              if (!OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.set(name, value);
              }
            });
    return request;
  }

  @Override
  public void onMessage(HttpObject message) {
    try {
      if (!done) {
        read(message);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void read(HttpObject message) {
    anyResponse = true;
    if (message instanceof HttpResponse response) {
      if (response.decoderResult().isFailure()) {
        headFailure(response);
        return;
      }
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL
          && response.status().code() != 101) {
        // 100 Continue, 103 Early Hints...: skipped, the final response follows.
        informational = true;
        return;
      }
      if (headLines.badLine != null) {
        fail(
            HttpErrorCode.HEADER_PARSING_ERROR,
            "Cannot parse the response headers: a line without a colon: '"
                + headLines.badLine
                + "'");
        return;
      }
      String badName = invalidHeaderName(response);
      if (badName != null) {
        fail(
            HttpErrorCode.HEADER_PARSING_ERROR,
            "Cannot parse the response headers: invalid header name '" + badName + "'");
        return;
      }
      head = response;
      if (plan.verbose()) {
        run.log("< " + response.protocolVersion() + " " + response.status());
        for (Map.Entry<String, String> header : response.headers()) {
          run.log("< " + header.getKey() + ": " + header.getValue());
        }
      }
      followRedirect = plan.followRedirects() && isRedirect(response.status().code());
      if (!followRedirect && plan.chunks() == null) {
        int status = response.status().code();
        boolean bodiless = plan.head() || status == 204 || status == 304;
        if (!bodiless && wire.contentLength > plan.maxResponseSize() && !isCompressed(response)) {
          fail(HttpErrorCode.READ_ERROR, tooLarge());
          return;
        }
        body = new BodyBuffer(wire.contentLength);
      }
    }
    if (message instanceof HttpContent content) {
      if (informational) {
        informational = !(content instanceof LastHttpContent);
        return;
      }
      if (head == null) {
        fail(HttpErrorCode.CANNOT_READ_STATUS_LINE, "body data without a status line");
        return;
      }
      if (content.decoderResult().isFailure()) {
        bodyFailure(content.decoderResult().cause());
        return;
      }
      ByteBuf data = content.content();
      int n = data.readableBytes();
      if (n > 0 && !followRedirect) {
        if (wire.gzip) {
          crc.update(data.nioBuffer());
        }
        if (plan.chunks() != null) {
          run.deliverChunk(ByteBufUtil.getBytes(data), this);
        } else {
          if (decodedBytes + n > plan.maxResponseSize()) {
            fail(HttpErrorCode.READ_ERROR, tooLarge());
            return;
          }
          body.append(data);
        }
        decodedBytes += n;
        if (plan.progress() != null) {
          run.progress(wire.bodyBytes, wire.contentLength);
        }
      }
      if (content instanceof LastHttpContent) {
        if (!followRedirect && wire.gzip && wire.bodyBytes > 0 && !gzipTrailerMatches()) {
          // Netty's decoder accepts a gzip stream cut short; IX's gunzip does not.
          fail(
              HttpErrorCode.GZIP,
              "Cannot decode the compressed body: the gzip data is truncated or corrupt (its"
                  + " trailer does not match the decoded bytes)");
          return;
        }
        complete();
      }
    }
  }

  /**
   * The first header name that is not a token (RFC 9110 section 5.1), or null. Netty's lenient
   * decoder takes a line without a colon as a name with an empty value; IX calls that a header
   * parsing error, and so do we.
   */
  private static String invalidHeaderName(HttpResponse response) {
    for (Map.Entry<String, String> header : response.headers()) {
      String name = header.getKey();
      if (name.isEmpty()) {
        return name;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        boolean tchar =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!tchar) {
          return name;
        }
      }
    }
    return null;
  }

  private boolean gzipTrailerMatches() {
    return wire.bodyBytes >= 18 // the smallest gzip member: 10-byte header, 8-byte trailer
        && wire.trailerCrc() == crc.getValue()
        && wire.trailerSize() == (decodedBytes & 0xffffffffL);
  }

  private static boolean isCompressed(HttpResponse response) {
    return response.headers().contains(HttpHeaderNames.CONTENT_ENCODING);
  }

  private String tooLarge() {
    return "the response body exceeds the limit of "
        + plan.maxResponseSize()
        + " bytes (HttpRequestArgs.setMaxResponseSize)";
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private void complete() {
    boolean reusable = HttpUtil.isKeepAlive(head) && !requestSaysClose;
    int status = head.status().code();
    String location = head.headers().get(HttpHeaderNames.LOCATION);
    WebSocketHttpHeaders headers = headersOf(head);
    finish(reusable);
    if (followRedirect) {
      run.redirect(plan, status, location);
    } else {
      run.completed(
          status,
          head.status().reasonPhrase(),
          headers,
          body == null ? new byte[0] : body.toArray(),
          uploadSize,
          wire.bodyBytes);
    }
  }

  private static WebSocketHttpHeaders headersOf(HttpResponse response) {
    WebSocketHttpHeaders.Builder builder = WebSocketHttpHeaders.builder();
    for (Map.Entry<String, String> header : response.headers()) {
      builder.add(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  private void headFailure(HttpResponse response) {
    Throwable cause = response.decoderResult().cause();
    String detail = cause == null ? "" : cause.getMessage();
    if (response.status().code() == UNPARSED_STATUS) {
      if (hasCause(cause, NumberFormatException.class)) {
        fail(HttpErrorCode.MISSING_STATUS, "the status line has no valid status code: " + detail);
      } else {
        fail(HttpErrorCode.CANNOT_READ_STATUS_LINE, "Cannot read the status line: " + detail);
      }
    } else {
      fail(HttpErrorCode.HEADER_PARSING_ERROR, "Cannot parse the response headers: " + detail);
    }
  }

  private void bodyFailure(Throwable cause) {
    if (TlsFailures.isTls(cause)) {
      tlsFailure(cause);
    } else if (hasCause(cause, DecompressionException.class)) {
      fail(HttpErrorCode.GZIP, "Cannot decode the compressed body: " + cause.getMessage());
    } else if (cause instanceof PrematureChannelClosureException) {
      closedMidBody();
    } else if (wire.chunked) {
      fail(HttpErrorCode.CHUNK_READ_ERROR, "Cannot read a chunk: " + cause.getMessage());
    } else {
      fail(HttpErrorCode.CANNOT_READ_BODY, "Cannot read the body: " + cause.getMessage());
    }
  }

  private void closedMidBody() {
    if (wire.chunked) {
      fail(
          HttpErrorCode.CHUNK_READ_ERROR,
          "the server closed the connection in the middle of a chunked body, after "
              + wire.bodyBytes
              + " bytes");
    } else {
      fail(
          HttpErrorCode.CANNOT_READ_BODY,
          "the server closed the connection after "
              + wire.bodyBytes
              + (wire.contentLength >= 0 ? " of " + wire.contentLength : "")
              + " body bytes");
    }
  }

  @Override
  public void onInactive() {
    if (done) {
      return;
    }
    if (tlsSendFailure != null) {
      tlsFailure(tlsSendFailure);
      return;
    }
    if (head == null) {
      if (!anyResponse && reused()) {
        staleConnection();
      } else {
        fail(
            HttpErrorCode.CANNOT_READ_STATUS_LINE,
            "the server closed the connection before sending a status line");
      }
    } else {
      closedMidBody();
    }
  }

  @Override
  public void onFailure(Throwable cause) {
    if (done) {
      return;
    }
    if (TlsFailures.isTls(cause)) {
      tlsFailure(cause);
    } else if (hasCause(cause, DecompressionException.class)) {
      fail(HttpErrorCode.GZIP, "Cannot decode the compressed body: " + cause.getMessage());
    } else if (head == null && !anyResponse && reused() && cause instanceof IOException) {
      staleConnection();
    } else if (head != null && cause instanceof IOException) {
      fail(HttpErrorCode.CANNOT_READ_BODY, "Cannot read the body: " + cause.getMessage());
    } else {
      fail(HttpErrorCode.READ_ERROR, "Cannot read the response: " + cause);
    }
  }

  /**
   * A TLS failure after the handshake (a TLS 1.3 server checks our certificate then, and refuses it
   * with an alert): {@link HttpErrorCode#CANNOT_CONNECT}, as a handshake failure is.
   */
  private void tlsFailure(Throwable cause) {
    fail(
        HttpErrorCode.CANNOT_CONNECT,
        ConnectionPool.tlsFailure(plan.url().origin(), plan.tls(), cause));
  }

  /** A pooled connection that the server had closed: the run may retry on a fresh one. */
  private void staleConnection() {
    finish(false);
    run.stale(plan);
  }

  void cancel() {
    fail(HttpErrorCode.CANCELLED, "request cancelled");
  }

  private void fail(HttpErrorCode code, String message) {
    if (done) {
      return;
    }
    finish(false);
    run.failed(
        code,
        message,
        head == null ? 0 : head.status().code(),
        head == null ? "" : head.status().reasonPhrase(),
        uploadSize,
        wire.bodyBytes);
  }

  /** Ends the exchange once: the connection goes back to the pool or is closed. */
  private void finish(boolean reusable) {
    done = true;
    if (timer != null) {
      timer.cancel(false);
    }
    connection.handler.detach(this);
    if (paused) {
      paused = false;
      channel.config().setAutoRead(true);
    }
    pool.release(connection, reusable);
  }

  /** Stops reading while the chunk callback lags (event loop). */
  void pause() {
    if (!done && !paused) {
      paused = true;
      channel.config().setAutoRead(false);
    }
  }

  /** Reads again once the chunk callback caught up (event loop). */
  void resume() {
    if (!done && paused) {
      paused = false;
      channel.config().setAutoRead(true);
    }
  }

  private static boolean hasCause(Throwable cause, Class<? extends Throwable> type) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
