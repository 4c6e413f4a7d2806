package dev.ixws.benchmarks.http;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HTTP servers of {@code benchmarks/httpd-bench.sh}, each answering {@code GET /small} with a
 * 100-byte text body from memory and {@code GET /file.bin} with the 1 MB file of the directory
 * given, keep-alive, on 127.0.0.1:
 *
 * <ul>
 *   <li>{@code ixws}: our {@code HttpServer} as a user would set it up (callback on the server's
 *       own pool, the file as {@code HttpResponse.file}, sent as a zero-copy file region), with
 *       {@code maxConnections} raised to 4096;
 *   <li>{@code ixws-inline}: the same with {@code setCallbackExecutor(Runnable::run)} (the callback
 *       runs on the event loop: for handlers that never block);
 *   <li>{@code ixws-cached}: the same with the JDK's {@code Executors.newCachedThreadPool()} as
 *       callback executor (for comparison with the server's own pool);
 *   <li>{@code netty}: raw Netty 4.2, {@code HttpServerCodec} and one handler that writes and
 *       flushes each response once ({@code DefaultFileRegion} for the file), epoll when available;
 *   <li>{@code vertx}: Vert.x 5 core's HTTP server ({@code end(buffer)}, {@code sendFile}).
 * </ul>
 *
 * Run: {@code java -cp benchmarks.jar dev.ixws.benchmarks.http.HttpdServers SERVER DIR [PORT]};
 * prints {@code PORT n} when ready and runs until killed.
 */
public final class HttpdServers {

  /** The small body: 100 bytes. */
  static final byte[] SMALL = ("x".repeat(99) + "\n").getBytes(StandardCharsets.US_ASCII);

  private HttpdServers() {}

  /**
   * Starts one server.
   *
   * @param args the server's name, the directory holding {@code file.bin}, optionally the port
   */
  public static void main(String[] args) throws Exception {
    String which = args[0];
    Path dir = Path.of(args[1]);
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    int bound =
        switch (which) {
          case "ixws" -> ixws(dir, port, null);
          case "ixws-inline" -> ixws(dir, port, Runnable::run);
          case "ixws-cached" ->
              ixws(dir, port, java.util.concurrent.Executors.newCachedThreadPool());
          case "netty" -> netty(dir, port);
          case "vertx" -> vertx(dir, port);
          default -> throw new IllegalArgumentException("unknown server " + which);
        };
    System.out.println("PORT " + bound);
    System.out.flush();
    Thread.currentThread().join();
  }

  private static int ixws(Path dir, int port, java.util.concurrent.Executor executor) {
    dev.ixws.http.HttpServer server =
        new dev.ixws.http.HttpServer(port, "127.0.0.1", 4096, 4096, 30);
    if (executor != null) {
      server.setCallbackExecutor(executor);
    }
    Path file = dir.resolve("file.bin");
    WebSocketHttpHeaders text =
        WebSocketHttpHeaders.builder().set("Content-Type", "text/plain").build();
    WebSocketHttpHeaders binary =
        WebSocketHttpHeaders.builder().set("Content-Type", "application/octet-stream").build();
    server.setOnConnectionCallback(
        (request, state) ->
            switch (request.path()) {
              case "/small" -> HttpResponse.of(200, text, SMALL);
              case "/file.bin" -> HttpResponse.file(200, "OK", binary, file);
              default -> HttpResponse.notFound();
            });
    var result = server.listen();
    if (!result.ok()) {
      throw new IllegalStateException(result.errorMessage());
    }
    server.start();
    return server.getPort();
  }

  private static int netty(Path dir, int port) throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(io);
    ByteBuf small = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(SMALL).asReadOnly());
    Path file = dir.resolve("file.bin");
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new NettyHandler(small, file));
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
  }

  /** One response per request, written and flushed once. */
  private static final class NettyHandler extends ChannelInboundHandlerAdapter {
    private final ByteBuf small;
    private final Path file;

    NettyHandler(ByteBuf small, Path file) {
      this.small = small;
      this.file = file;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      try {
        if (!(msg instanceof HttpRequest request)) {
          return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ChannelFuture done;
        if (request.uri().equals("/file.bin")) {
          RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
          long length = raf.length();
          DefaultHttpResponse head =
              new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
          head.headers()
              .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
              .setInt(HttpHeaderNames.CONTENT_LENGTH, (int) length);
          ctx.write(head);
          ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length));
          done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
          FullHttpResponse response =
              new DefaultFullHttpResponse(
                  HttpVersion.HTTP_1_1, HttpResponseStatus.OK, small.duplicate());
          response
              .headers()
              .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
              .setInt(HttpHeaderNames.CONTENT_LENGTH, SMALL.length);
          done = ctx.writeAndFlush(response);
        }
        if (!keepAlive) {
          done.addListener(ChannelFutureListener.CLOSE);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static int vertx(Path dir, int port) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    io.vertx.core.buffer.Buffer small = io.vertx.core.buffer.Buffer.buffer(SMALL);
    String file = dir.resolve("file.bin").toString();
    if (!Files.isRegularFile(Path.of(file))) {
      throw new IllegalArgumentException("no " + file);
    }
    io.vertx.core.http.HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setAcceptBacklog(4096))
            .requestHandler(
                request -> {
                  switch (request.path()) {
                    case "/small" ->
                        request.response().putHeader("Content-Type", "text/plain").end(small);
                    case "/file.bin" ->
                        request
                            .response()
                            .putHeader("Content-Type", "application/octet-stream")
                            .sendFile(file);
                    default -> request.response().setStatusCode(404).end();
                  }
                })
            .listen(port, "127.0.0.1")
            .await();
    return server.actualPort();
  }
}
