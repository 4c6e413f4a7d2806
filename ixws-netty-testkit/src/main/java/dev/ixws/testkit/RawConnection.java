package dev.ixws.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One side of a TCP connection driven byte by byte: writes raw bytes or {@link WsFrame}s (whole or
 * in small chunks) and reads an HTTP head or frames. Built on {@link Socket}, with no WebSocket
 * library involved, so it can send what a well-behaved peer never would.
 *
 * <p>Reads wait at most the read timeout (5 s unless changed) and throw {@link
 * SocketTimeoutException} beyond it, so a test never hangs. Not thread-safe: one test thread drives
 * it.
 */
public class RawConnection implements AutoCloseable {

  /** How long a read waits by default. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** Wraps a connected socket; sets TCP_NODELAY so small chunks leave at once. */
  public RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    socket.setSoTimeout((int) DEFAULT_READ_TIMEOUT.toMillis());
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** The socket's local port (the remote port the peer sees). */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** Sets how long each read may wait. */
  public void setReadTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
  }

  /** Writes {@code bytes} and flushes. */
  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Writes {@code text} as ISO-8859-1 (HTTP heads) and flushes. */
  public void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Writes {@code bytes} in pieces of at most {@code chunkSize} bytes, flushing each one (with
   * TCP_NODELAY set, each piece is its own TCP segment in practice).
   */
  public void writeInChunks(byte[] bytes, int chunkSize) throws IOException {
    for (int i = 0; i < bytes.length; i += chunkSize) {
      out.write(bytes, i, Math.min(chunkSize, bytes.length - i));
      out.flush();
    }
  }

  /** Encodes and writes {@code frame} (masked with a random key if {@code frame.masked()}). */
  public void writeFrame(WsFrame frame) throws IOException {
    write(RawFrames.encode(frame));
  }

  /** Encodes {@code frame} and writes it {@code chunkSize} bytes at a time. */
  public void writeFrameInChunks(WsFrame frame, int chunkSize) throws IOException {
    writeInChunks(RawFrames.encode(frame), chunkSize);
  }

  /** Reads an HTTP head up to and excluding the empty line that ends it. */
  public HttpHead readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0; // how much of CR LF CR LF was seen
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(
            "connection closed before the end of the HTTP head; got: '"
                + head.toString(StandardCharsets.ISO_8859_1)
                + "'");
      }
      head.write(b);
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("HTTP head longer than " + MAX_HEAD_BYTES + " bytes");
      }
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    byte[] bytes = head.toByteArray();
    return HttpHead.parse(
        new String(Arrays.copyOf(bytes, bytes.length - 4), StandardCharsets.ISO_8859_1));
  }

  /** Reads exactly {@code n} bytes. */
  public byte[] readBytes(int n) throws IOException {
    return in.readNBytes(n);
  }

  /** Reads one frame. */
  public WsFrame readFrame() throws IOException {
    return RawFrames.read(in);
  }

  /** Reads frames, skipping others, until a close frame arrives, and returns it. */
  public WsFrame readUntilClose() throws IOException {
    while (true) {
      WsFrame frame = readFrame();
      if (frame.isClose()) {
        return frame;
      }
    }
  }

  /**
   * Reads and discards everything until the peer closes the TCP connection.
   *
   * @return true if the peer closed (end of stream or reset) within {@code timeout}, false if it
   *     was still open when the timeout passed
   */
  public boolean awaitPeerClose(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] sink = new byte[8192];
    try {
      while (true) {
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
          return false;
        }
        socket.setSoTimeout((int) Math.max(1, leftMillis));
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by peer counts as closed
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout((int) DEFAULT_READ_TIMEOUT.toMillis());
      }
    }
  }

  /** Sends a FIN: the peer reads end of stream, and this side can still read. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Closes the TCP connection in the middle of a test (same as {@link #close()}). */
  public void hangUp() throws IOException {
    socket.close();
  }

  /** Closes the socket. */
  @Override
  public void close() throws IOException {
    socket.close();
  }
}
