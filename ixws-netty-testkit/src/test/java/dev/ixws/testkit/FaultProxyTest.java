package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.FaultProxy.Connection;
import dev.ixws.testkit.FaultProxy.Cut;
import dev.ixws.testkit.FaultProxy.Direction;
import dev.ixws.testkit.FaultProxy.Side;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault proxy between two plain {@link Socket}s on loopback: each fault does what it says. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultProxyTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int QUIET_MILLIS = 300;

  private ServerSocket target;
  private FaultProxy proxy;
  private Socket client;
  private Socket server;

  @BeforeEach
  void setUp() throws IOException {
    target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    proxy = FaultProxy.start(target.getLocalPort());
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : new Socket[] {client, server}) {
      if (socket != null) {
        socket.close();
      }
    }
    proxy.close();
    target.close();
  }

  /** Connects a client through the proxy and accepts the proxied connection at the target. */
  private Connection connect() throws IOException {
    client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    client.setSoTimeout((int) WAIT.toMillis());
    target.setSoTimeout((int) WAIT.toMillis());
    server = target.accept();
    server.setSoTimeout((int) WAIT.toMillis());
    return proxy.awaitConnections(1, WAIT).get(0);
  }

  private static void send(Socket socket, byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  private static byte[] receive(Socket socket, int n) throws IOException {
    byte[] bytes = socket.getInputStream().readNBytes(n);
    assertEquals(n, bytes.length, "bytes before end of stream");
    return bytes;
  }

  /** True if nothing (no byte, no end of stream, no reset) arrives within the quiet period. */
  private static boolean silent(Socket socket) throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(QUIET_MILLIS);
    try {
      socket.getInputStream().read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(timeout);
    }
  }

  /** Reads until the end of the stream (-1) or a reset; returns "EOF" or "RST". */
  private static String awaitEnd(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[8192];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
      return "EOF";
    } catch (SocketException e) {
      return "RST";
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void bytesGoThroughUnchangedBothWays() throws IOException {
    Connection connection = connect();
    byte[] up = random(200_000, 1);
    byte[] down = random(300_000, 2);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                send(client, up);
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    send(server, down);
    assertArrayEquals(up, receive(server, up.length));
    assertArrayEquals(down, receive(client, down.length));
    writer.join();
    assertEquals(up.length, connection.forwardedBytes(Direction.UPSTREAM));
    assertEquals(down.length, connection.forwardedBytes(Direction.DOWNSTREAM));
    assertEquals(1, proxy.acceptedCount());
  }

  @Test
  void resetCutMakesBothPeersSeeAReset() throws IOException {
    Connection connection = connect();
    send(client, ascii("hello"));
    assertArrayEquals(ascii("hello"), receive(server, 5));
    connection.cut(Cut.RST);
    assertEquals("RST", awaitEnd(client));
    assertEquals("RST", awaitEnd(server));
    connection.awaitClosed(WAIT);
    proxy.awaitNoConnections(WAIT);
  }

  @Test
  void finCutMakesBothPeersReadEndOfStream() throws IOException {
    Connection connection = connect();
    connection.cut(Cut.FIN);
    assertEquals("EOF", awaitEnd(client));
    assertEquals("EOF", awaitEnd(server));
    connection.awaitClosed(WAIT);
  }

  @Test
  void cutAllCutsEveryLiveConnection() throws IOException {
    connect();
    try (Socket second = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        Socket secondServer = target.accept()) {
      second.setSoTimeout((int) WAIT.toMillis());
      secondServer.setSoTimeout((int) WAIT.toMillis());
      assertEquals(2, proxy.awaitConnections(2, WAIT).size());
      proxy.cutAll(Cut.RST);
      assertEquals("RST", awaitEnd(second));
      assertEquals("RST", awaitEnd(secondServer));
      assertEquals("RST", awaitEnd(client));
      proxy.awaitNoConnections(WAIT);
    }
  }

  @Test
  void stallHoldsTheBytesSilentlyAndResumeDeliversThemInOrder() throws IOException {
    Connection connection = connect();
    connection.stall(Direction.BOTH);
    send(client, ascii("held up"));
    send(server, ascii("held down"));
    assertTrue(silent(server), "nothing reaches the target while stalled: no byte, FIN or RST");
    assertTrue(silent(client), "nothing reaches the client while stalled");
    assertTrue(connection.isOpen());
    connection.resume();
    assertArrayEquals(ascii("held up"), receive(server, 7));
    assertArrayEquals(ascii("held down"), receive(client, 9));
  }

  @Test
  void stallOfOneDirectionLetsTheOtherFlow() throws IOException {
    Connection connection = connect();
    connection.stall(Direction.UPSTREAM);
    send(client, ascii("up"));
    send(server, ascii("down"));
    assertArrayEquals(ascii("down"), receive(client, 4));
    assertTrue(silent(server));
    connection.resume();
    assertArrayEquals(ascii("up"), receive(server, 2));
  }

  @Test
  void stalledSenderIsHeldBackByTcpAndTheProxyBuffersNoMoreThanItsCap() throws Exception {
    Connection connection = connect();
    connection.stall(Direction.UPSTREAM);
    byte[] big = random(8 * 1024 * 1024, 3);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                send(client, big);
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    assertTrue(silent(server));
    // 8 MB do not fit in the socket buffers plus the proxy's cap: the writer is blocked.
    assertTrue(!writer.isDone(), "the sender is held back by TCP flow control");
    long held = connection.bufferedBytes(Direction.UPSTREAM);
    assertTrue(
        held <= FaultProxy.MAX_BUFFERED_BYTES + FaultProxy.MAX_READ_BYTES,
        "proxy holds " + held + " bytes");
    connection.resume();
    assertArrayEquals(big, receive(server, big.length));
    writer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void stalledEndOfStreamIsHeldUntilResume() throws IOException {
    Connection connection = connect();
    connection.stall(Direction.UPSTREAM);
    send(client, ascii("last words"));
    client.shutdownOutput();
    assertTrue(silent(server), "no FIN while stalled");
    connection.resume();
    assertArrayEquals(ascii("last words"), receive(server, 10));
    assertEquals("EOF", awaitEnd(server));
  }

  @Test
  void delayHoldsEveryByteForTheFixedLatencyAndKeepsOrder() throws IOException {
    proxy.setDelay(Duration.ofMillis(200));
    connect();
    long sent = System.nanoTime();
    send(client, ascii("one"));
    send(client, ascii("two"));
    assertArrayEquals(ascii("onetwo"), receive(server, 6));
    long millis = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(millis >= 190, "arrived after " + millis + " ms");
    proxy.setDelay(Duration.ZERO);
    send(server, ascii("back"));
    assertArrayEquals(ascii("back"), receive(client, 4));
  }

  @Test
  void oneByteSegmentsWriteEachByteOnItsOwn() throws IOException {
    proxy.setOneByteSegments(true);
    Connection connection = connect();
    byte[] bytes = random(3000, 4);
    send(client, bytes);
    send(server, bytes);
    assertArrayEquals(bytes, receive(server, bytes.length));
    assertArrayEquals(bytes, receive(client, bytes.length));
    assertEquals(3000, connection.writes(Direction.UPSTREAM), "one write per byte");
    assertEquals(3000, connection.writes(Direction.DOWNSTREAM), "one write per byte");
  }

  @Test
  void throttleLimitsTheRate() throws IOException {
    Connection connection = connect();
    connection.setThrottle(100_000);
    byte[] bytes = random(50_000, 5);
    long started = System.nanoTime();
    send(client, bytes);
    assertArrayEquals(bytes, receive(server, bytes.length));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis >= 400, "50 KB at 100 KB/s took only " + millis + " ms");
    connection.setThrottle(0);
    send(client, bytes);
    assertArrayEquals(bytes, receive(server, bytes.length));
  }

  @Test
  void cuttingOneSideLeavesTheOtherOpenAndSilentUntilItsPeerCloses() throws IOException {
    Connection connection = connect();
    connection.cut(Cut.RST, Side.CLIENT);
    assertEquals("RST", awaitEnd(client));
    send(server, ascii("anyone there?"));
    assertTrue(silent(server), "the target side hears nothing: its peer vanished");
    assertTrue(connection.isOpen());
    server.close();
    connection.awaitClosed(WAIT);
  }

  @Test
  void refusedConnectionsAreResetUntilAcceptedAgain() throws IOException {
    proxy.refuseNewConnections();
    try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      refused.setSoTimeout((int) WAIT.toMillis());
      assertEquals("RST", awaitEnd(refused));
    }
    assertEquals(1, proxy.acceptedCount());
    assertTrue(proxy.connections().isEmpty());
    proxy.acceptNewConnections();
    connect();
    send(client, ascii("ok"));
    assertArrayEquals(ascii("ok"), receive(server, 2));
  }

  @Test
  void peerResetIsPassedOnAsAReset() throws IOException {
    Connection connection = connect();
    server.setSoLinger(true, 0);
    server.close();
    assertEquals("RST", awaitEnd(client));
    connection.awaitClosed(WAIT);
  }

  @Test
  void onlyLoopbackTargetsAreAccepted() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FaultProxy.start(new InetSocketAddress("192.0.2.1", 80)));
  }
}
