package dev.ixws.http.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpConnectionState;
import dev.ixws.http.HttpRequest;
import dev.ixws.http.HttpResponse;
import dev.ixws.internal.tls.TlsSessions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection of an {@code HttpServer}, after Netty's request decoder and response
 * encoder: it assembles requests (bounded bodies, {@code Expect: 100-continue}), hands them one at
 * a time to the handler on the callback executor, writes the responses in request order (so
 * pipelined requests are answered in order), and applies keep-alive, the limits and the timers.
 *
 * <p>Invariants: every field is touched on the channel's event loop only, except what the off-loop
 * stream writer reads through the channel itself. {@code busy} is true from the moment a request is
 * handed to the handler until its response is fully written; auto-read is off while busy or while
 * complete requests wait, so a pipelining client cannot queue unbounded work. A failure of the
 * framing (a decoder error, a limit) is answered once with {@code Connection: close} and everything
 * after it is discarded.
 */
public final class ServerConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

  /** Bodies smaller than this are not worth gzipping. */
  static final int MIN_GZIP_BYTES = 1024;

  private static final int STREAM_CHUNK_BYTES = 64 * 1024;

  private enum Timer {
    NONE,
    IDLE,
    REQUEST,
    WRITE
  }

  // A complete request waiting for its turn, or a framing error to answer and close.
  private record Pending(
      io.netty.handler.codec.http.HttpRequest head, HttpRequest request, int errorStatus) {}

  private final HttpServerConfig config;
  private final AtomicInteger admitted;
  private Channel channel;
  private String remoteIp;
  private int remotePort;
  // No TLS handler in front (files may go out as zero-copy regions); set once the channel is
  // active.
  private boolean plain;
  // Made at the first request, when a TLS handshake (and its client certificate) is complete.
  private HttpConnectionState state;
  private boolean overLimit;

  // The request being received.
  private io.netty.handler.codec.http.HttpRequest head;
  private ByteArrayOutputStream body;
  private boolean bytesSeen;
  // Complete requests not answered yet, in arrival order.
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private boolean busy;
  private boolean discarding;
  private boolean closed;

  // One lazy timer per connection, as Netty's IdleStateHandler keeps: arming moves a deadline, and
  // a wake-up is scheduled only when none is pending early enough; a wake-up that finds the
  // deadline moved schedules the next one. Arming per request (request, write, idle: three per
  // keep-alive exchange) used to schedule and cancel a task each time, a priority-queue insert
  // and removal on the event loop per timer.
  private Timer timerKind = Timer.NONE;
  private long deadlineNanos; // when timerKind expires, on the event loop's ticker
  private ScheduledFuture<?> timer; // the pending wake-up, or null
  private long timerDueNanos; // when it runs
  private final Runnable wakeUp = this::timerFired;
  private long lastWriteProgressNanos;

  /**
   * A connection handler.
   *
   * @param admitted the server's count of admitted connections
   */
  public ServerConnection(HttpServerConfig config, AtomicInteger admitted) {
    this.config = config;
    this.admitted = admitted;
  }

  /** Notes that bytes arrived, before the codec sees them: the start of a request's timer. */
  void bytesArrived() {
    bytesSeen = true;
    if (!busy && timerKind == Timer.IDLE) {
      arm(Timer.REQUEST, config.requestTimeoutMillis());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    String ip = "";
    int port = 0;
    if (channel.remoteAddress() instanceof InetSocketAddress inet) {
      ip = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
      port = inet.getPort();
    } else {
      ip = String.valueOf(channel.remoteAddress());
    }
    remoteIp = ip;
    remotePort = port;
    plain = channel.pipeline().get(HttpServerPipeline.TLS_HANDLER) == null;
    // Admission is decided at accept time, so the limit holds however many clients race in; a
    // refused client is not counted (it only waits for its 503), nor kept beyond the request timer.
    if (admitted.incrementAndGet() <= config.maxConnections()) {
      channel.closeFuture().addListener(f -> admitted.decrementAndGet());
      arm(Timer.IDLE, config.idleTimeoutMillis());
    } else {
      admitted.decrementAndGet();
      overLimit = true;
      arm(Timer.REQUEST, config.requestTimeoutMillis());
    }
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    disarm();
    if (timer != null) {
      timer.cancel(false); // nothing to wait for: let the connection go now
      timer = null;
    }
    pending.clear();
    head = null;
    body = null;
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof io.netty.handler.codec.http.HttpRequest request) {
        onHead(ctx, request);
      }
      if (msg instanceof HttpContent content) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Auto-read is off: ask for more only while nothing waits.
    if (!busy && pending.isEmpty() && !discarding && !closed) {
      ctx.read();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection failed", cause);
    ctx.close();
  }

  private void onHead(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest request) {
    if (discarding) {
      return;
    }
    if (request.decoderResult().isFailure()) {
      fail(statusOf(request.decoderResult().cause()));
      return;
    }
    if (overLimit) {
      fail(503);
      return;
    }
    if (!hostIsValid(request)) {
      fail(400);
      return;
    }
    if (config.upgrades() != null && isWebSocketUpgrade(request)) {
      if (busy || !pending.isEmpty()) {
        // An upgrade behind pipelined requests: the switch could not happen in order.
        fail(400);
        return;
      }
      handOver(ctx, request);
      return;
    }
    long length;
    try {
      length = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      fail(400);
      return;
    }
    if (length > config.maxBodyBytes()) {
      fail(413);
      return;
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null) {
      if (!expect.trim().equalsIgnoreCase("100-continue")
          || request.protocolVersion() != HttpVersion.HTTP_1_1) {
        fail(417);
        return;
      }
      // Only when no earlier response is on its way: a 100 in the middle of it would corrupt
      // the stream. The client sends its body anyway after its own short wait (RFC 9110 10.1.1).
      if (!busy && pending.isEmpty()) {
        ctx.writeAndFlush(
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
      }
    }
    head = request;
    body = new ByteArrayOutputStream(length > 0 ? (int) Math.min(length, 64 * 1024) : 0);
    if (timerKind != Timer.REQUEST && !busy) {
      arm(Timer.REQUEST, config.requestTimeoutMillis());
    }
  }

  /**
   * RFC 9112 section 3.2: an HTTP/1.1 request without a Host header, or with more than one, gets
   * 400. (HTTP/1.0 requests may omit it.) A Host value with whitespace inside or a comma (a list of
   * hosts) is refused too: it names no single authority.
   */
  static boolean hostIsValid(io.netty.handler.codec.http.HttpRequest request) {
    java.util.List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return false;
    }
    if (hosts.isEmpty()) {
      return request.protocolVersion() != HttpVersion.HTTP_1_1;
    }
    String host = hosts.get(0).trim();
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c <= ' ' || c == ',' || c == '/' || c == '\\' || c == '@' || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWebSocketUpgrade(io.netty.handler.codec.http.HttpRequest request) {
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
    if (upgrade == null) {
      return false;
    }
    for (String token : upgrade.split(",")) {
      if (token.trim().equalsIgnoreCase("websocket")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives the connection to the WebSocket server's handshake handler: this handler, the activity
   * notifier and the response encoder leave, the handshake handler takes their place right after
   * the request decoder and gets the request; the decoder's next parts (the request's end, then any
   * frames) flow to it. From then on the WebSocket engine owns the connection.
   */
  private void handOver(
      ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest request) {
    disarm();
    discarding = true;
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.remove(HttpServerPipeline.READ_ACTIVITY);
    pipeline.remove(HttpServerPipeline.HTTP_ENCODER);
    pipeline.addAfter(
        HttpServerPipeline.HTTP_DECODER,
        HttpServerPipeline.WS_HANDSHAKE,
        config.upgrades().newHandshakeHandler());
    pipeline.remove(this);
    // The WebSocket engine reads as data comes, as on WebSocketServer's own connections.
    channel.config().setAutoRead(true);
    pipeline.context(HttpServerPipeline.HTTP_DECODER).fireChannelRead(request);
  }

  private void onContent(HttpContent content) {
    if (discarding || head == null) {
      return;
    }
    if (content.decoderResult().isFailure()) {
      head = null;
      body = null;
      fail(statusOf(content.decoderResult().cause()));
      return;
    }
    ByteBuf data = content.content();
    if (body.size() + (long) data.readableBytes() > config.maxBodyBytes()) {
      head = null;
      body = null;
      fail(413);
      return;
    }
    try {
      data.readBytes(body, data.readableBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (content instanceof LastHttpContent) {
      io.netty.handler.codec.http.HttpRequest complete = head;
      byte[] bytes = body.toByteArray();
      head = null;
      body = null;
      bytesSeen = false;
      pending.add(new Pending(complete, toRequest(complete, bytes), 0));
      next();
    }
  }

  private HttpRequest toRequest(io.netty.handler.codec.http.HttpRequest request, byte[] bytes) {
    if (state == null) {
      // A request came through the SslHandler, so its handshake is done.
      state = new HttpConnectionState(remoteIp, remotePort, TlsSessions.peerCertificates(channel));
    }
    WebSocketHttpHeaders.Builder headers = WebSocketHttpHeaders.builder();
    for (java.util.Map.Entry<String, String> header : request.headers()) {
      headers.add(header.getKey(), header.getValue());
    }
    return new HttpRequest(
        request.method().name(),
        request.uri(),
        request.protocolVersion().text(),
        headers.build(),
        bytes,
        state.getRemoteIp(),
        state.getRemotePort());
  }

  private static int statusOf(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return 414;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return 431;
    }
    if (cause instanceof TooLongFrameException) {
      return 413;
    }
    return 400;
  }

  /** Answers the framing failure {@code status} after what is already queued, then closes. */
  private void fail(int status) {
    discarding = true;
    head = null;
    body = null;
    pending.add(new Pending(null, null, status));
    next();
  }

  /** Starts the next queued request if none is in progress, or waits for more input. */
  private void next() {
    if (closed || busy) {
      return;
    }
    Pending first = pending.poll();
    if (first == null) {
      if (discarding) {
        channel.close();
        return;
      }
      if (head != null || bytesSeen) {
        if (timerKind != Timer.REQUEST) {
          arm(Timer.REQUEST, config.requestTimeoutMillis());
        }
      } else {
        arm(Timer.IDLE, config.idleTimeoutMillis());
      }
      channel.read();
      return;
    }
    busy = true;
    disarm();
    if (first.errorStatus() != 0) {
      int status = first.errorStatus();
      writeBytes(HttpVersion.HTTP_1_1, false, false, errorPrepared(status));
      return;
    }
    io.netty.handler.codec.http.HttpRequest request = first.head();
    boolean keepAlive = HttpUtil.isKeepAlive(request) && !discarding;
    boolean isHead = request.method().equals(HttpMethod.HEAD);
    String acceptEncoding = request.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
    try {
      config
          .executor()
          .execute(() -> handle(first.request(), request, keepAlive, isHead, acceptEncoding));
    } catch (RejectedExecutionException e) {
      LOG.warn("HTTP callback executor refused a request", e);
      respond(request, keepAlive, isHead, errorPrepared(503));
    }
  }

  // On the callback executor.
  private void handle(
      HttpRequest request,
      io.netty.handler.codec.http.HttpRequest nettyRequest,
      boolean keepAlive,
      boolean isHead,
      String acceptEncoding) {
    CompletableFuture<HttpResponse> future;
    try {
      future = config.handler().handle(request, state);
      if (future == null) {
        throw new NullPointerException("the callback returned no future");
      }
    } catch (RuntimeException | Error e) {
      LOG.warn("HTTP callback threw on {} {}", request.method(), request.uri(), e);
      respond(nettyRequest, keepAlive, isHead, errorPrepared(500));
      return;
    }
    if (future.isDone() && !future.isCompletedExceptionally()) {
      // A synchronous callback's answer: no completion stage to allocate and run.
      answer(future.getNow(null), null, request, nettyRequest, keepAlive, isHead, acceptEncoding);
      return;
    }
    future.whenComplete(
        (response, error) ->
            answer(response, error, request, nettyRequest, keepAlive, isHead, acceptEncoding));
  }

  // On the callback executor, or wherever an asynchronous callback completed its future.
  private void answer(
      HttpResponse response,
      Throwable error,
      HttpRequest request,
      io.netty.handler.codec.http.HttpRequest nettyRequest,
      boolean keepAlive,
      boolean isHead,
      String acceptEncoding) {
    Prepared prepared;
    if (error != null || response == null) {
      LOG.warn(
          "HTTP callback failed on {} {}",
          request.method(),
          request.uri(),
          error == null ? new NullPointerException("null response") : error);
      prepared = errorPrepared(500);
    } else {
      prepared = prepare(response, acceptEncoding, isHead);
    }
    respond(nettyRequest, keepAlive && !state.isTerminated(), isHead, prepared);
  }

  /** A response ready for the wire: bytes to send, or an open file or stream. */
  private record Prepared(
      int status,
      String description,
      WebSocketHttpHeaders headers,
      byte[] bytes,
      FileChannel file,
      InputStream stream,
      ResponseBody region,
      long length,
      boolean gzipped) {

    /** Bytes from memory (gzipped or not). */
    static Prepared bytes(
        int status, String description, WebSocketHttpHeaders headers, byte[] bytes, boolean gzip) {
      return new Prepared(status, description, headers, bytes, null, null, null, -1, gzip);
    }

    /** A streaming body: sent from {@code file} or {@code stream}, or neither for a HEAD. */
    static Prepared body(
        HttpResponse response, ResponseBody body, FileChannel file, InputStream stream) {
      return new Prepared(
          response.statusCode(),
          response.description(),
          response.headers(),
          null,
          file,
          stream,
          body,
          body.length(),
          false);
    }
  }

  private static Prepared errorPrepared(int status) {
    return Prepared.bytes(
        status,
        HttpResponse.of(status, "").description(),
        errorHeaders(status),
        errorBody(status),
        false);
  }

  private static WebSocketHttpHeaders errorHeaders(int status) {
    return WebSocketHttpHeaders.builder().set("Content-Type", "text/plain; charset=utf-8").build();
  }

  private static byte[] errorBody(int status) {
    return (status + " " + HttpResponse.of(status, "").description() + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  // Off the event loop: gzip, open files.
  private Prepared prepare(HttpResponse response, String acceptEncoding, boolean isHead) {
    int status = response.statusCode();
    if (status < 100 || status > 999 || status == 101) {
      LOG.warn("HTTP callback returned status {}: answering 500", status);
      return errorPrepared(500);
    }
    ResponseBody streaming = ResponseBody.of(response);
    if (streaming == null) {
      byte[] bytes = response.bodyBytes();
      if (config.compression()
          && !isHead
          && status == 200
          && bytes.length >= MIN_GZIP_BYTES
          && acceptsGzip(acceptEncoding)
          && !response.headers().contains("Content-Encoding")
          && compressible(response.headers().get("Content-Type"))) {
        byte[] gzipped = gzip(bytes);
        if (gzipped.length < bytes.length) {
          WebSocketHttpHeaders headers =
              response.headers().toBuilder()
                  .set("Content-Encoding", "gzip")
                  .add("Vary", "Accept-Encoding")
                  .build();
          return Prepared.bytes(status, response.description(), headers, gzipped, true);
        }
      }
      return Prepared.bytes(status, response.description(), response.headers(), bytes, false);
    }
    if (streaming.file() != null) {
      if (isHead) {
        return Prepared.body(response, streaming, null, null);
      }
      try {
        FileChannel file = FileChannel.open(streaming.file(), StandardOpenOption.READ);
        if (plain) {
          return Prepared.body(response, streaming, file, null);
        }
        file.position(streaming.offset());
        return Prepared.body(response, streaming, null, Channels.newInputStream(file));
      } catch (IOException e) {
        LOG.warn("Cannot open {}", streaming.file(), e);
        return errorPrepared(500);
      }
    }
    if (isHead) {
      closeQuietly(streaming.stream());
      return Prepared.body(response, streaming, null, null);
    }
    return Prepared.body(response, streaming, null, streaming.stream());
  }

  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.trim().split(";");
      String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
      if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
        for (int i = 1; i < pieces.length; i++) {
          String parameter = pieces[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
          if (parameter.startsWith("q=") && parameter.substring(2).matches("0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  static boolean compressible(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.startsWith("application/json")
        || type.startsWith("application/javascript")
        || type.startsWith("application/xml")
        || type.startsWith("image/svg+xml")
        || type.contains("+json")
        || type.contains("+xml");
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  // From any thread: writes on the event loop.
  private void respond(
      io.netty.handler.codec.http.HttpRequest request,
      boolean keepAlive,
      boolean isHead,
      Prepared prepared) {
    if (prepared.stream() != null) {
      // Read off the event loop: the stream may block.
      writeStream(request.protocolVersion(), keepAlive, prepared);
      return;
    }
    channel
        .eventLoop()
        .execute(
            () -> {
              if (closed) {
                release(prepared);
                return;
              }
              if (prepared.file() != null) {
                writeFile(request.protocolVersion(), keepAlive, prepared);
              } else {
                writeBytes(request.protocolVersion(), keepAlive, isHead, prepared);
              }
            });
  }

  private static void release(Prepared prepared) {
    if (prepared.file() != null) {
      closeQuietly(prepared.file());
    }
    if (prepared.stream() != null) {
      closeQuietly(prepared.stream());
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      LOG.debug("close failed", e);
    }
  }

  private static boolean bodiless(int status) {
    return status < 200 || status == 204 || status == 304;
  }

  /** The status line and headers; {@code length} -1 for chunked (or until close in 1.0). */
  private DefaultHttpResponse head(
      HttpVersion version, boolean keepAlive, Prepared prepared, long length, boolean isHead) {
    // valueOf(code, phrase) hands back Netty's shared constant when the phrase is the standard one
    // ("OK"): no status object (and its encoded bytes) made per response.
    HttpResponseStatus status =
        prepared.description().isEmpty()
            ? HttpResponseStatus.valueOf(prepared.status())
            : HttpResponseStatus.valueOf(prepared.status(), prepared.description());
    HttpVersion answer =
        version == HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    DefaultHttpResponse response = new DefaultHttpResponse(answer, status);
    HttpHeaders headers = response.headers();
    prepared.headers().forEach(headers::add);
    headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    headers.remove(HttpHeaderNames.CONNECTION);
    if (!headers.contains(HttpHeaderNames.DATE)) {
      headers.set(HttpHeaderNames.DATE, HttpDates.now());
    }
    if (!headers.contains(HttpHeaderNames.SERVER)) {
      headers.set(HttpHeaderNames.SERVER, Version.USER_AGENT);
    }
    if (!bodiless(prepared.status())) {
      if (length >= 0) {
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
      } else if (isHead) {
        // A HEAD answer of unknown length: no framing header (the encoder would chunk it).
      } else if (answer == HttpVersion.HTTP_1_1) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        keepAlive = false;
      }
    }
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (answer == HttpVersion.HTTP_1_0) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return response;
  }

  private static boolean closes(DefaultHttpResponse head) {
    return head.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
  }

  // On the event loop.
  private void writeBytes(HttpVersion version, boolean keepAlive, boolean isHead, Prepared p) {
    long length;
    if (p.bytes() != null) {
      length = p.bytes().length;
    } else {
      length = p.length(); // HEAD of a streaming body
    }
    DefaultHttpResponse head = head(version, keepAlive, p, length, isHead);
    boolean close = closes(head);
    ByteBuf content =
        isHead || bodiless(p.status()) || p.bytes() == null
            ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(p.bytes());
    channel.write(head);
    startWriteWatch();
    ChannelProgressivePromise promise = channel.newProgressivePromise();
    promise.addListener(progress());
    channel.writeAndFlush(new DefaultLastHttpContent(content), promise);
    promise.addListener((ChannelFutureListener) f -> written(f, close));
  }

  private void writeFile(HttpVersion version, boolean keepAlive, Prepared p) {
    DefaultHttpResponse head = head(version, keepAlive, p, p.length(), false);
    boolean close = closes(head);
    channel.write(head);
    startWriteWatch();
    ChannelProgressivePromise promise = channel.newProgressivePromise();
    promise.addListener(progress());
    channel.write(new DefaultFileRegion(p.file(), p.region().offset(), p.length()), promise);
    channel
        .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
        .addListener((ChannelFutureListener) f -> written(f, close));
  }

  // On the callback executor: the stream is read here, writes wait for the channel to drain.
  private void writeStream(HttpVersion version, boolean keepAlive, Prepared p) {
    InputStream in = p.stream();
    try (in) {
      DefaultHttpResponse head = head(version, keepAlive, p, p.length(), false);
      boolean close = closes(head);
      boolean chunked = HttpUtil.isTransferEncodingChunked(head);
      channel.eventLoop().execute(this::startWriteWatch);
      ChannelFuture last = channel.write(head);
      long remaining = p.length();
      byte[] buffer = new byte[STREAM_CHUNK_BYTES];
      while (remaining != 0) {
        int want = remaining < 0 ? buffer.length : (int) Math.min(buffer.length, remaining);
        int n = in.read(buffer, 0, want);
        if (n < 0) {
          break;
        }
        if (n == 0) {
          continue;
        }
        if (remaining > 0) {
          remaining -= n;
        }
        last = channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buffer, 0, n)));
        last.addListener(f -> channel.eventLoop().execute(this::progressed));
        // Back-pressure: wait while the channel's buffer is full; the watchdog closes a stalled
        // connection, which fails this future and ends the loop.
        if (!channel.isWritable()) {
          last.awaitUninterruptibly();
        }
        if (!channel.isActive()) {
          return;
        }
      }
      if (remaining > 0) {
        LOG.warn("HTTP response stream ended {} bytes before its length: closing", remaining);
        channel.close();
        return;
      }
      ChannelFuture done =
          channel.writeAndFlush(
              chunked ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent());
      done.addListener((ChannelFutureListener) f -> written(f, close));
    } catch (IOException | RuntimeException e) {
      LOG.warn("HTTP response stream failed: closing the connection", e);
      channel.close();
    }
  }

  private ChannelProgressiveFutureListener progress() {
    return new ChannelProgressiveFutureListener() {
      @Override
      public void operationProgressed(ChannelProgressiveFuture future, long done, long total) {
        progressed();
      }

      @Override
      public void operationComplete(ChannelProgressiveFuture future) {
        progressed();
      }
    };
  }

  private void progressed() {
    lastWriteProgressNanos = System.nanoTime();
  }

  private void startWriteWatch() {
    lastWriteProgressNanos = System.nanoTime();
    arm(Timer.WRITE, config.requestTimeoutMillis());
  }

  // On the event loop, when a response's last write completed.
  private void written(ChannelFuture future, boolean close) {
    if (!future.isSuccess() || close) {
      channel.close();
      return;
    }
    busy = false;
    disarm();
    next();
  }

  private void arm(Timer kind, long delayMillis) {
    timerKind = kind;
    deadlineNanos = now() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    if (timer != null && timerDueNanos - deadlineNanos > 0) {
      timer.cancel(false); // it would wake up too late for the new deadline
      timer = null;
    }
    if (timer == null) {
      wakeUpAt(deadlineNanos);
    }
  }

  /** No timeout runs; a pending wake-up finds nothing to do. */
  private void disarm() {
    timerKind = Timer.NONE;
  }

  private void wakeUpAt(long dueNanos) {
    timerDueNanos = dueNanos;
    timer = channel.eventLoop().schedule(wakeUp, dueNanos - now(), TimeUnit.NANOSECONDS);
  }

  private long now() {
    return channel.eventLoop().ticker().nanoTime();
  }

  private void timerFired() {
    timer = null;
    if (closed || timerKind == Timer.NONE) {
      return;
    }
    if (deadlineNanos - now() > 0) {
      wakeUpAt(deadlineNanos); // the deadline moved on since this wake-up was scheduled
      return;
    }
    Timer kind = timerKind;
    timerKind = Timer.NONE;
    switch (kind) {
      case IDLE -> channel.close();
      case REQUEST -> {
        LOG.debug("HTTP request not received in time from {}", channel.remoteAddress());
        if (!busy && pending.isEmpty()) {
          fail(overLimit ? 503 : 408);
        } else {
          channel.close();
        }
      }
      case WRITE -> {
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastWriteProgressNanos);
        if (idle >= config.requestTimeoutMillis()) {
          LOG.debug("HTTP response write stalled for {} ms: closing", idle);
          channel.close();
        } else {
          arm(Timer.WRITE, config.requestTimeoutMillis() - idle);
        }
      }
      case NONE -> {}
    }
  }
}
