package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.RawWebSocketClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BroadcastServerCommandTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private CommandRun command;
  private final List<WebSocket> clients = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    clients.forEach(WebSocket::stop);
    if (command != null) {
      command.interrupt();
      command.awaitExit();
    }
  }

  @Test
  void everyMessageReachesEveryOtherClientAndNotItsSender() {
    command = CommandRun.start("broadcast_server", "--port", "0", "-q");
    int port = listeningPort(command);
    EventRecorder<WebSocketMessage> a = new EventRecorder<>();
    EventRecorder<WebSocketMessage> b = new EventRecorder<>();
    EventRecorder<WebSocketMessage> c = new EventRecorder<>();
    WebSocket sender = connect(port, a::accept);
    connect(port, b::accept);
    connect(port, c::accept);
    awaitOpen(a);
    awaitOpen(b);
    awaitOpen(c);

    assertTrue(sender.send("hello all").success());
    byte[] bytes = {0, (byte) 0xFF, 42};
    assertTrue(sender.sendBinary(bytes).success());

    for (EventRecorder<WebSocketMessage> other : List.of(b, c)) {
      WebSocketMessage text = other.next();
      assertFalse(text.binary());
      assertEquals("hello all", text.str());
      WebSocketMessage binary = other.next();
      assertTrue(binary.binary());
      assertArrayEquals(bytes, binary.bytes());
    }
    // b and c have both messages: had the sender been sent its own, it would have come by now.
    a.assertNoMoreEvents(Duration.ofMillis(200));

    clients.forEach(WebSocket::stop);
    for (EventRecorder<WebSocketMessage> each : List.of(a, b, c)) {
      assertEquals(1000, each.next().closeInfo().code());
    }
    clients.clear();
    // -q: nothing but the listening line, and no message line without -v.
    command.out.assertNoMoreLines();
    command.err.assertNoMoreLines();
  }

  @Test
  void pythonWebsocketsClientsHearEachOtherAndNotThemselves() {
    command = CommandRun.start("broadcast-server", "--port", "0", "-q");
    int port = listeningPort(command);

    // b's reply being the first thing a receives shows a was not sent its own message.
    List<String> lines =
        PythonPeer.run(
            String.join(
                "\n",
                "import asyncio, sys, websockets",
                "async def main(url):",
                "    async with websockets.connect(url, compression=None) as a, \\",
                "               websockets.connect(url, compression=None) as b:",
                "        await a.send('from python a')",
                "        print('b got: ' + await b.recv(), flush=True)",
                "        await b.send(b'\\x00\\x01 binary from b')",
                "        got = await a.recv()",
                "        print('a got: ' + repr(got), flush=True)",
                "asyncio.run(main(sys.argv[1]))"),
            "ws://127.0.0.1:" + port + "/");

    assertEquals(List.of("b got: from python a", "a got: b'\\x00\\x01 binary from b'"), lines);
    command.out.assertNoMoreLines();
  }

  @Test
  void verboseLogsEachMessage() {
    command = CommandRun.start("broadcast-server", "--port", "0", "-v");
    int port = listeningPort(command);
    EventRecorder<WebSocketMessage> a = new EventRecorder<>();
    WebSocket sender = connect(port, a::accept);
    awaitOpen(a);
    assertTrue(
        command.out.next().matches("Connection \\d+ opened from 127\\.0\\.0\\.1:\\d+, uri /"));

    assertTrue(sender.send("12345").success());
    assertTrue(command.out.next().matches("Connection \\d+: text message of 5 bytes"));
    sender.stop();
    assertEquals(1000, a.next().closeInfo().code());
    clients.clear();
    assertTrue(
        command.out.next().matches("Connection \\d+ closed: code 1000 reason \"Normal closure\""));
  }

  @Test
  void aClientThatStopsReadingIsClosedWith1008WhileTheOthersGetEveryMessage() throws Exception {
    long limit = 1024 * 1024;
    command = CommandRun.start("broadcast-server", "--port", "0", "--max-queued-bytes", "" + limit);
    int port = listeningPort(command);

    // Opens and then never reads: the kernel buffers fill, then the server's queue for it.
    try (RawWebSocketClient stalled = RawWebSocketClient.open(port, "/stalled")) {
      String stalledOpen = command.out.next();
      assertTrue(stalledOpen.endsWith(", uri /stalled"), stalledOpen);
      String stalledId = stalledOpen.split(" ")[1];

      int count = 400;
      int size = 64 * 1024;
      CountDownLatch allReceived = new CountDownLatch(count);
      AtomicLong receivedBytes = new AtomicLong();
      EventRecorder<WebSocketMessage> fastEvents = new EventRecorder<>();
      WebSocket fast =
          connect(
              port,
              msg -> {
                if (msg.type() == WebSocketMessageType.MESSAGE) {
                  receivedBytes.addAndGet(msg.size());
                  allReceived.countDown();
                } else {
                  fastEvents.accept(msg);
                }
              });
      awaitOpen(fastEvents);
      EventRecorder<WebSocketMessage> senderEvents = new EventRecorder<>();
      WebSocket sender = connect(port, senderEvents::accept);
      awaitOpen(senderEvents);
      command.out.nextStartingWith("Connection ");
      command.out.nextStartingWith("Connection ");

      // 25 MB, far more than the stalled client's socket buffers and the 1 MB limit together,
      // in batches of 512 KB at the pace the fast client takes them: a reader that keeps up.
      byte[] payload = new byte[size];
      int batch = 8;
      for (int i = 0; i < count; i++) {
        assertTrue(sender.sendBinary(payload).success());
        if ((i + 1) % batch == 0) {
          long expected = (long) (i + 1) * size;
          Await.until(
              "the fast client has the batch ending at " + (i + 1),
              Duration.ofSeconds(10),
              () -> receivedBytes.get() == expected);
        }
      }
      assertTrue(
          allReceived.await(10, TimeUnit.SECONDS),
          "received " + receivedBytes.get() + "; server printed:\n" + command.out.text());
      assertEquals((long) count * size, receivedBytes.get());

      String slow = command.out.nextStartingWith("Connection " + stalledId + " closed by");
      Matcher matcher =
          Pattern.compile(
                  "Connection \\d+ closed by the server with 1008: too slow: (\\d+) bytes not yet"
                      + " sent, limit "
                      + limit)
              .matcher(slow);
      assertTrue(matcher.matches(), slow);
      // It was closed before its queue passed the limit.
      assertTrue(Long.parseLong(matcher.group(1)) <= limit, slow);
      // Its closing handshake cannot finish (it does not read): the server drops it.
      assertTrue(stalled.awaitPeerClose(Duration.ofSeconds(10)), "the stalled client was kept");
      command.out.nextStartingWith("Connection " + stalledId + " closed: ");

      sender.stop();
      assertEquals(1000, senderEvents.next().closeInfo().code());
      fast.stop();
      assertEquals(1000, fastEvents.next().closeInfo().code());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    clients.forEach(WebSocket::stop);
    clients.clear();
    command.out.skipRemaining();
  }

  private WebSocket connect(int port, java.util.function.Consumer<WebSocketMessage> events) {
    WebSocket client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + port + "/");
    client.disableAutomaticReconnection();
    client.setOnMessageCallback(events::accept);
    client.start();
    clients.add(client);
    return client;
  }

  private static void awaitOpen(EventRecorder<WebSocketMessage> events) {
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
  }

  private static int listeningPort(CommandRun run) {
    String line = run.out.next();
    Matcher matcher = LISTENING.matcher(line);
    assertTrue(matcher.matches(), "first line: " + line);
    return Integer.parseInt(matcher.group(1));
  }
}
