package dev.ixws.internal.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket transport: Linux epoll when its native library loads, Java NIO otherwise.
 *
 * <p>io_uring is not used yet: it needs a recent kernel that containers often lack, and it is only
 * worth adding once the benchmarks show a gain over epoll.
 */
public enum Transport {
  EPOLL {
    @Override
    IoHandlerFactory ioHandlerFactory() {
      return EpollIoHandler.newFactory();
    }

    @Override
    public Class<? extends SocketChannel> socketChannel() {
      return EpollSocketChannel.class;
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannel() {
      return EpollServerSocketChannel.class;
    }

    @Override
    public Class<? extends DatagramChannel> datagramChannel() {
      return EpollDatagramChannel.class;
    }
  },
  NIO {
    @Override
    IoHandlerFactory ioHandlerFactory() {
      return NioIoHandler.newFactory();
    }

    @Override
    public Class<? extends SocketChannel> socketChannel() {
      return NioSocketChannel.class;
    }

    @Override
    public Class<? extends ServerSocketChannel> serverSocketChannel() {
      return NioServerSocketChannel.class;
    }

    @Override
    public Class<? extends DatagramChannel> datagramChannel() {
      return NioDatagramChannel.class;
    }
  };

  /** Set {@code -Ddev.ixws.transport=nio} to force NIO (for tests and diagnosis). */
  public static final String PROPERTY = "dev.ixws.transport";

  abstract IoHandlerFactory ioHandlerFactory();

  /** The client socket channel class of this transport. */
  public abstract Class<? extends SocketChannel> socketChannel();

  /** The server socket channel class of this transport. */
  public abstract Class<? extends ServerSocketChannel> serverSocketChannel();

  /** The UDP channel class of this transport (DNS queries). */
  public abstract Class<? extends DatagramChannel> datagramChannel();

  /** The transport to use on this machine. */
  static Transport detect() {
    if ("nio".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return NIO;
    }
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** Lower-case name, as reported by {@code NetSystem.transportName()}. */
  public String lowerName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
