package dev.ixws.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
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
  // Whether the body is a single gzip member (Content-Encoding: gzip), and its last 8 bytes on
  // the wire: the gzip trailer, CRC-32 and size of the decoded data (RFC 1952 section 2.3).
  boolean gzip;
  private final byte[] tail = new byte[8];

  /** Forgets the previous response's counts (event loop, before each exchange). */
  void reset() {
    bodyBytes = 0;
    contentLength = -1;
    chunked = false;
    gzip = false;
  }

  /** The gzip trailer's CRC-32 (valid when at least 8 body bytes came). */
  long trailerCrc() {
    return littleEndian(0);
  }

  /** The gzip trailer's size of the decoded data, modulo 2^32. */
  long trailerSize() {
    return littleEndian(4);
  }

  private long littleEndian(int offset) {
    int at = (int) ((bodyBytes - 8 + offset) % 8);
    long value = 0;
    for (int i = 3; i >= 0; i--) {
      value = (value << 8) | (tail[(at + i) % 8] & 0xff);
    }
    return value;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpResponse head
        && head.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      contentLength = HttpUtil.getContentLength(head, -1L);
      chunked = HttpUtil.isTransferEncodingChunked(head);
      String encoding = head.headers().get(HttpHeaderNames.CONTENT_ENCODING);
      gzip =
          encoding != null
              && (encoding.trim().equalsIgnoreCase("gzip")
                  || encoding.trim().equalsIgnoreCase("x-gzip"));
    }
    if (msg instanceof HttpContent content) {
      ByteBuf data = content.content();
      int n = data.readableBytes();
      // Keep the last 8 bytes, in a ring indexed by the body offset.
      for (int i = Math.max(0, n - 8); i < n; i++) {
        tail[(int) ((bodyBytes + i) % 8)] = data.getByte(data.readerIndex() + i);
      }
      bodyBytes += n;
    }
    ctx.fireChannelRead(msg);
  }
}
