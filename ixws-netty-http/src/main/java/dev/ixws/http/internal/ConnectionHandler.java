package dev.ixws.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * The tail of every client connection's pipeline: hands the decoded response to the exchange
 * running on the connection. Anything that arrives while no exchange runs (a {@code 408} before an
 * idle close, garbage) makes the connection unusable: it is released and the connection closed.
 * Event loop only.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

  /** What an exchange hears from its connection; every method on the event loop. */
  interface Listener {
    /** A decoded response part; the listener releases it. */
    void onMessage(HttpObject message);

    /** The connection closed. */
    void onInactive();

    /** The pipeline failed (decompression, I/O). */
    void onFailure(Throwable cause);
  }

  private Listener listener;

  void attach(Listener listener) {
    this.listener = listener;
  }

  void detach(Listener expected) {
    if (listener == expected) {
      listener = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Listener current = listener;
    if (current != null && msg instanceof HttpObject message) {
      current.onMessage(message);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Listener current = listener;
    if (current != null) {
      current.onInactive();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Listener current = listener;
    if (current != null) {
      current.onFailure(cause);
    }
    ctx.close();
  }
}
