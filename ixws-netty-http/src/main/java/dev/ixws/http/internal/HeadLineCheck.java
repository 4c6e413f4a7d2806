package dev.ixws.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Looks at the raw bytes of a response head, before the codec, for header lines without a colon:
 * Netty's decoder takes such a line as a header with an empty value, IX (and RFC 9112 section 5)
 * calls it a malformed header. Armed by each exchange, it scans until the empty line that ends the
 * head and then lets the body pass unlooked-at. It consumes nothing. Event loop only.
 */
final class HeadLineCheck extends ChannelInboundHandlerAdapter {

  private static final int MAX_REPORTED = 80;

  private boolean armed;
  private int lineIndex;
  private int lineLength;
  private boolean colonSeen;
  private boolean folded;
  private StringBuilder line = new StringBuilder();

  /** The first header line without a colon in the head being read, or null. */
  String badLine;

  /** Starts checking the next response head. */
  void arm() {
    armed = true;
    lineIndex = 0;
    lineLength = 0;
    colonSeen = false;
    folded = false;
    line.setLength(0);
    badLine = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (armed && msg instanceof ByteBuf bytes) {
      scan(bytes);
    }
    ctx.fireChannelRead(msg);
  }

  private void scan(ByteBuf bytes) {
    int end = bytes.writerIndex();
    for (int i = bytes.readerIndex(); i < end && armed; i++) {
      byte b = bytes.getByte(i);
      if (b == '\n') {
        if (lineLength == 0) {
          // The empty line: the head ended (a status line not yet seen keeps us looking).
          armed = lineIndex == 0;
        } else if (lineIndex > 0 && !colonSeen && !folded && badLine == null) {
          badLine = line.toString();
        }
        if (lineLength > 0) {
          lineIndex++;
        }
        lineLength = 0;
        colonSeen = false;
        folded = false;
        line.setLength(0);
      } else if (b != '\r') {
        if (lineLength == 0 && (b == ' ' || b == '\t')) {
          folded = true; // obs-fold (RFC 9112 section 5.2): Netty's decoder judges it
        }
        if (b == ':') {
          colonSeen = true;
        }
        if (line.length() < MAX_REPORTED) {
          line.append((char) (b & 0xff));
        }
        lineLength++;
      }
    }
  }
}
