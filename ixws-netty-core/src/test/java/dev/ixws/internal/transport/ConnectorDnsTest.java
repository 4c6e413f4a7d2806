package dev.ixws.internal.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Host names are resolved without blocking the event loop: a name server that takes seconds to
 * answer delays only the connection that waits for it, never the others on the same loop.
 */
class ConnectorDnsTest {

  private static final long SLOW_ANSWER_MILLIS = 1500;

  private final SlowNameServer dns = new SlowNameServer();
  private final ServerSocket target = listen();
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor = daemon(this::acceptAll);

  @AfterEach
  void close() throws Exception {
    dns.close();
    target.close();
    acceptor.join(5000);
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  @Test
  void aSlowNameServerDelaysOnlyTheConnectionThatWaitsForIt() throws Exception {
    Connector connector =
        Connector.tcpResolvingWith(new SingletonDnsServerAddressStreamProvider(dns.address()));
    EventLoop loop = EventLoops.next();
    long start = System.nanoTime();

    ChannelFuture slow = connect(connector, loop, "slow.ixws.test");
    // The same loop must go on serving: a task and a connection to an IP literal complete now.
    long taskRanAfter = loop.submit(() -> System.nanoTime() - start).get(5, TimeUnit.SECONDS);
    ChannelFuture literal = connect(connector, loop, "127.0.0.1");
    assertTrue(literal.await(5, TimeUnit.SECONDS) && literal.isSuccess(), "" + literal.cause());
    long literalConnectedAfter = System.nanoTime() - start;
    assertFalse(slow.isDone(), "the slow name was answered already?");

    assertTrue(slow.await(10, TimeUnit.SECONDS), "slow lookup never completed");
    assertTrue(slow.isSuccess(), "" + slow.cause());
    long slowConnectedAfter = System.nanoTime() - start;
    assertTrue(
        TimeUnit.NANOSECONDS.toMillis(taskRanAfter) < SLOW_ANSWER_MILLIS / 2,
        "the loop was blocked for " + TimeUnit.NANOSECONDS.toMillis(taskRanAfter) + " ms");
    assertTrue(
        literalConnectedAfter < slowConnectedAfter, "the IP literal connected after the slow name");
    assertTrue(
        TimeUnit.NANOSECONDS.toMillis(slowConnectedAfter) >= SLOW_ANSWER_MILLIS,
        "the slow name connected before the name server answered");
    assertTrue(dns.queries() >= 1, "our name server was never asked");
    slow.channel().close().sync();
    literal.channel().close().sync();
  }

  @Test
  void aNameTheServerDoesNotKnowFailsTheConnectWithTheName() throws Exception {
    Connector connector =
        Connector.tcpResolvingWith(new SingletonDnsServerAddressStreamProvider(dns.address()));
    ChannelFuture missing = connect(connector, EventLoops.next(), "missing.ixws.test");
    assertTrue(missing.await(10, TimeUnit.SECONDS), "lookup never completed");
    assertFalse(missing.isSuccess());
    assertTrue(
        String.valueOf(missing.cause()).contains("missing.ixws.test"),
        "the error does not name the host: " + missing.cause());
  }

  private ChannelFuture connect(Connector connector, EventLoop loop, String host) {
    return connector.connect(
        loop,
        host,
        target.getLocalPort(),
        new Connector.Options(10_000, null),
        new ChannelInboundHandlerAdapter());
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "dns-test");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static ServerSocket listen() {
    try {
      return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void acceptAll() {
    try {
      while (true) {
        accepted.add(target.accept());
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  /**
   * A name server on 127.0.0.1 that answers {@code slow.ixws.test} with 127.0.0.1 after {@link
   * #SLOW_ANSWER_MILLIS}, and every other name at once with NXDOMAIN.
   */
  private static final class SlowNameServer implements AutoCloseable {
    private final DatagramSocket socket;
    private volatile int queries;

    SlowNameServer() {
      try {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      } catch (SocketException e) {
        throw new IllegalStateException(e);
      }
      daemon(this::serve);
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    int queries() {
      return queries;
    }

    private void serve() {
      byte[] buffer = new byte[512];
      while (!socket.isClosed()) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (IOException e) {
          return;
        }
        queries++;
        byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
        InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
        daemon(() -> answer(query, from));
      }
    }

    private void answer(byte[] query, InetSocketAddress to) {
      int questionEnd = 12;
      StringBuilder name = new StringBuilder();
      while (query[questionEnd] != 0) {
        int length = query[questionEnd];
        name.append(new String(query, questionEnd + 1, length, StandardCharsets.US_ASCII))
            .append('.');
        questionEnd += length + 1;
      }
      questionEnd += 5; // the root label, QTYPE and QCLASS
      int qtype = ((query[questionEnd - 4] & 0xff) << 8) | (query[questionEnd - 3] & 0xff);
      boolean known = name.toString().equalsIgnoreCase("slow.ixws.test.");
      boolean withAddress = known && qtype == 1;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(query[0]);
      out.write(query[1]);
      out.write(0x81); // a response, recursion desired
      out.write(known ? 0x80 : 0x83); // recursion available; NOERROR or NXDOMAIN
      out.writeBytes(new byte[] {0, 1, 0, (byte) (withAddress ? 1 : 0), 0, 0, 0, 0});
      out.write(query, 12, questionEnd - 12);
      if (withAddress) {
        // A pointer to the question's name, type A, class IN, TTL 60 s, 127.0.0.1.
        out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1});
      }
      byte[] response = out.toByteArray();
      try {
        if (known) {
          Thread.sleep(SLOW_ANSWER_MILLIS);
        }
        socket.send(new DatagramPacket(response, response.length, to));
      } catch (IOException | InterruptedException e) {
        // the test is over
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
