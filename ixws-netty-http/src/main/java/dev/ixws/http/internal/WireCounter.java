package dev.ixws.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Sits between the codec and the decompressor to see the response as it came off the wire: the body
 * bytes received (IX's {@code downloadSize}, and the progress callback's count) and the head's
 * {@code Content-Length} and chunked flag, which the decompressor rewrites.
 */
final class WireCounter extends ChannelInboundHandlerAdapter {

  long bodyBytes;
  long contentLength = -1;
  boolean chunked;

  /** Forgets the previous response's counts (event loop, before each exchange). */
  void reset() {
    bodyBytes = 0;
    contentLength = -1;
    chunked = false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpResponse head
        && head.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      contentLength = HttpUtil.getContentLength(head, -1L);
      chunked = HttpUtil.isTransferEncodingChunked(head);
    }
    if (msg instanceof HttpContent content) {
      bodyBytes += content.content().readableBytes();
    }
    ctx.fireChannelRead(msg);
  }
}
