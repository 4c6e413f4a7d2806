package dev.ixws.internal.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits in front of a server's {@code SslHandler} until the first bytes arrive: a TLS client starts
 * with a handshake record (content type 22, RFC 8446 section 5.1) and passes on untouched; a plain
 * HTTP client (a {@code ws://} URL against a {@code wss://} port) gets a plain-text {@code 400}
 * that says the port speaks TLS, instead of a connection closed without a word. Then it leaves the
 * pipeline. Confined to the channel's event loop.
 */
public final class PlainTextGuard extends ChannelInboundHandlerAdapter {

  private static final int TLS_HANDSHAKE_RECORD = 22;
  private static final String BODY = "This server speaks TLS only: use wss:// or https://\n";
  private static final String RESPONSE =
      "HTTP/1.1 400 Bad Request\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "Content-Length: "
          + BODY.length()
          + "\r\nConnection: close\r\n\r\n"
          + BODY;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf) || !buf.isReadable()) {
      ctx.fireChannelRead(msg);
      return;
    }
    int first = buf.getUnsignedByte(buf.readerIndex());
    if (first == TLS_HANDSHAKE_RECORD || first < 'A' || first > 'Z') {
      // TLS, or at least not an HTTP method: the SslHandler decides.
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    ctx.channel().config().setAutoRead(false);
    // Written from this context, so it bypasses the SslHandler behind it: plain bytes.
    ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), RESPONSE))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
