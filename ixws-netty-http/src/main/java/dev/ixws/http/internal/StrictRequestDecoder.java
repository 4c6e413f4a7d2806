package dev.ixws.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder, plus the one refusal it lacks: obsolete line folding (a header line that
 * starts with a space or tab), which Netty joins to the previous value and RFC 9112 section 5.2
 * lets a server reject with 400. Folding is a classic smuggling vector when a proxy in front reads
 * the lines differently.
 *
 * <p>The decoder consumes a head line by line, so while a head is being read the readable bytes
 * always start at a line start; the check scans them up to the head's end.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

  // Whether the next bytes belong to a request head (true between requests).
  private boolean inHead = true;
  // Whether the request line of the current head has been consumed.
  private boolean pastRequestLine;
  private boolean rejected;

  StrictRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
      throws Exception {
    if (rejected) {
      buffer.skipBytes(buffer.readableBytes());
      return;
    }
    if (inHead && foldedLine(buffer)) {
      rejected = true;
      buffer.skipBytes(buffer.readableBytes());
      DefaultFullHttpRequest invalid =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
      invalid.setDecoderResult(
          DecoderResult.failure(new IllegalArgumentException("obsolete line folding")));
      out.add(invalid);
      return;
    }
    int before = buffer.readerIndex();
    int size = out.size();
    super.decode(ctx, buffer, out);
    if (inHead && buffer.readerIndex() > before) {
      pastRequestLine = true;
    }
    for (int i = size; i < out.size(); i++) {
      Object message = out.get(i);
      if (message instanceof HttpMessage) {
        inHead = false;
      }
      if (message instanceof LastHttpContent) {
        inHead = true;
        pastRequestLine = false;
      }
    }
  }

  /** Whether a header line in the readable head bytes starts with SP or HT. */
  private boolean foldedLine(ByteBuf buffer) {
    int start = buffer.readerIndex();
    int end = buffer.writerIndex();
    if (pastRequestLine && start < end) {
      byte first = buffer.getByte(start);
      if (first == ' ' || first == '\t') {
        return true;
      }
    }
    for (int i = start; i + 1 < end; i++) {
      if (buffer.getByte(i) == '\n') {
        byte next = buffer.getByte(i + 1);
        if (next == ' ' || next == '\t') {
          return true;
        }
        if (next == '\r' && i + 2 < end && buffer.getByte(i + 2) == '\n') {
          return false; // end of head: the body follows, unchecked
        }
      }
    }
    return false;
  }
}
