package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's lifecycle, client bookkeeping and callbacks, with hand-written clients. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ServerLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private WebSocketServer server;

  private int listen(WebSocketServer newServer) {
    server = TestServers.started(newServer);
    return server.getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** One call of the client message callback. */
  record Seen(
      ConnectionState state, WebSocket webSocket, WebSocketMessage message, String thread) {}

  @Test
  void stopSendsGoingAwayToEveryClientAndFreesThePort() throws Exception {
    WebSocketServer first = new WebSocketServer(0);
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    first.setOnConnectionCallback((ws, state) -> ws.setOnMessageCallback(events::accept));
    int port = listen(first);
    try (RawWebSocketClient a = RawWebSocketClient.open(port, "/");
        RawWebSocketClient b = RawWebSocketClient.open(port, "/")) {
      events.next();
      events.next(); // both OPEN
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(first::stop);
      for (RawWebSocketClient client : List.of(a, b)) {
        WsFrame close = client.readFrame();
        assertTrue(close.isClose(), "got " + close);
        assertEquals(1001, close.closeCode());
        assertEquals("Going away", close.closeReason());
        client.writeFrame(WsFrame.close(1001, "", true));
        assertTrue(client.awaitPeerClose(WAIT));
      }
      stopping.get(5, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 2; i++) {
      WebSocketMessage closed =
          events.nextMatching(m -> m.type() == WebSocketMessageType.CLOSE, WAIT);
      assertEquals(1001, closed.closeInfo().code());
      assertFalse(closed.closeInfo().remote());
    }
    assertTrue(first.awaitStop(1, TimeUnit.SECONDS), "awaitStop wakes after stop()");
    assertThrows(
        ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());

    int again = listen(new WebSocketServer(port));
    assertEquals(port, again, "a new server binds the freed port");
  }

  @Test
  void stopClosesAClientRightAfterItsHandshakeAndDropsItWhenSilent() throws Exception {
    int port = listen(new WebSocketServer(0));
    // stop() right after the 101 arrives races with the server registering the client: the client
    // must still get its 1001, then be dropped after the close timeout since it never answers.
    try (RawWebSocketClient silent = RawWebSocketClient.open(port, "/")) {
      long started = System.nanoTime();
      server.stop();
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(millis < 4000, "stop() took " + millis + " ms");
      assertEquals(1001, silent.readFrame().closeCode());
      assertTrue(silent.awaitPeerClose(WAIT));
    }
  }

  @Test
  void getClientsFollowsConnectsAndDisconnects() throws IOException {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocketServer s = new WebSocketServer(0);
    s.setOnConnectionCallback((ws, state) -> ws.setOnMessageCallback(events::accept));
    int port = listen(s);
    assertTrue(server.getClients().isEmpty());
    try (RawWebSocketClient a = RawWebSocketClient.open(port, "/")) {
      assertEquals(WebSocketMessageType.OPEN, events.next().type());
      assertEquals(1, server.getClients().size());
      try (RawWebSocketClient b = RawWebSocketClient.open(port, "/")) {
        assertEquals(WebSocketMessageType.OPEN, events.next().type());
        assertEquals(2, server.getClients().size());
        assertTrue(b.localPort() > 0);
        a.writeFrame(WsFrame.close(1000, "", true));
        assertTrue(a.awaitPeerClose(WAIT));
        WebSocketMessage closedA = events.next();
        assertEquals(WebSocketMessageType.CLOSE, closedA.type());
        assertEquals(1000, closedA.closeInfo().code());
        assertTrue(closedA.closeInfo().remote());
        Await.untilEquals(1, WAIT, () -> server.getClients().size());
      }
      Await.untilEquals(0, WAIT, () -> server.getClients().size());
      WebSocketMessage closedB = events.next();
      assertEquals(WebSocketMessageType.CLOSE, closedB.type());
      assertEquals(1006, closedB.closeInfo().code(), "b vanished without a close frame");
    }
  }

  static final class TaggedState extends ConnectionState {
    final String tag = "tagged";
  }

  @Test
  void connectionStateComesFromTheFactoryWithUniqueIdsAndTheClientsAddress() throws IOException {
    EventRecorder<ConnectionState> states = new EventRecorder<>();
    WebSocketServer s = new WebSocketServer(0);
    s.setConnectionStateFactory(TaggedState::new);
    s.setOnConnectionCallback((ws, state) -> states.accept(state));
    int port = listen(s);
    try (RawWebSocketClient a = RawWebSocketClient.open(port, "/");
        RawWebSocketClient b = RawWebSocketClient.open(port, "/")) {
      ConnectionState first = states.next();
      ConnectionState second = states.next();
      TaggedState tagged = assertInstanceOf(TaggedState.class, first);
      assertEquals("tagged", tagged.tag);
      assertInstanceOf(TaggedState.class, second);
      assertNotEquals(first.getId(), second.getId());
      for (ConnectionState state : List.of(first, second)) {
        assertEquals("127.0.0.1", state.getRemoteIp());
      }
      assertEquals(
          java.util.Set.of(a.localPort(), b.localPort()),
          java.util.Set.of(first.getRemotePort(), second.getRemotePort()));
    }
  }

  @Test
  void clientMessageCallbackSeesEveryClientWithItsStateAndWebSocket() throws IOException {
    EventRecorder<Seen> seen = new EventRecorder<>();
    WebSocketServer s = new WebSocketServer(0);
    s.setOnClientMessageCallback(
        (state, ws, msg) -> {
          seen.accept(new Seen(state, ws, msg, Thread.currentThread().getName()));
          if (msg.type() == WebSocketMessageType.MESSAGE) {
            ws.send("echo " + msg.str());
          }
        });
    int port = listen(s);
    try (RawWebSocketClient a = RawWebSocketClient.open(port, "/a");
        RawWebSocketClient b = RawWebSocketClient.open(port, "/b")) {
      // The two connections live on different event loops: their OPENs may come in any order.
      Seen one = seen.next();
      Seen two = seen.next();
      boolean inOrder = one.state().getRemotePort() == a.localPort();
      Seen openA = inOrder ? one : two;
      Seen openB = inOrder ? two : one;
      assertEquals(WebSocketMessageType.OPEN, openA.message().type());
      assertEquals(WebSocketMessageType.OPEN, openB.message().type());
      assertEquals(a.localPort(), openA.state().getRemotePort());
      assertEquals("/a", openA.message().openInfo().uri());
      assertEquals(b.localPort(), openB.state().getRemotePort());
      assertEquals("/b", openB.message().openInfo().uri());

      a.sendText("from a");
      assertEquals("echo from a", a.readFrame().text());
      Seen fromA = seen.next();
      assertSame(openA.state(), fromA.state());
      assertSame(openA.webSocket(), fromA.webSocket());
      assertEquals("from a", fromA.message().str());

      b.sendText("from b");
      assertEquals("echo from b", b.readFrame().text());
      Seen fromB = seen.next();
      assertSame(openB.state(), fromB.state());
      assertSame(openB.webSocket(), fromB.webSocket());
    }
    Seen closeA = seen.nextMatching(x -> x.message().type() == WebSocketMessageType.CLOSE, WAIT);
    Seen closeB = seen.nextMatching(x -> x.message().type() == WebSocketMessageType.CLOSE, WAIT);
    assertNotEquals(closeA.state().getId(), closeB.state().getId());
  }

  @Test
  void callbacksRunOnTheCallbackExecutorInOrder() throws IOException {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
    try {
      EventRecorder<Seen> seen = new EventRecorder<>();
      WebSocketServer s = new WebSocketServer(0);
      s.setCallbackExecutor(executor);
      s.setOnClientMessageCallback(
          (state, ws, msg) ->
              seen.accept(new Seen(state, ws, msg, Thread.currentThread().getName())));
      int port = listen(s);
      int count = 200;
      try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
        for (int i = 0; i < count; i++) {
          client.sendText(Integer.toString(i));
        }
        List<String> received = new ArrayList<>();
        Seen open = seen.next();
        assertEquals(WebSocketMessageType.OPEN, open.message().type());
        assertEquals("app-callbacks", open.thread());
        for (int i = 0; i < count; i++) {
          Seen next = seen.next();
          assertEquals("app-callbacks", next.thread());
          received.add(next.message().str());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          expected.add(Integer.toString(i));
        }
        assertEquals(expected, received);
      }
      Seen close = seen.nextMatching(x -> x.message().type() == WebSocketMessageType.CLOSE, WAIT);
      assertEquals("app-callbacks", close.thread());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void callbacksRunOnAnEventLoopThreadByDefault() throws IOException {
    EventRecorder<Seen> seen = new EventRecorder<>();
    WebSocketServer s = new WebSocketServer(0);
    s.setOnClientMessageCallback(
        (state, ws, msg) ->
            seen.accept(new Seen(state, ws, msg, Thread.currentThread().getName())));
    int port = listen(s);
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
      Seen open = seen.next();
      assertEquals(WebSocketMessageType.OPEN, open.message().type());
      assertTrue(open.thread().startsWith("ixws-io"), "thread name");
      client.sendText("x");
      Seen message = seen.next();
      assertEquals("x", message.message().str());
      assertTrue(message.thread().startsWith("ixws-io"), "thread name");
    }
    Seen close = seen.next();
    assertEquals(WebSocketMessageType.CLOSE, close.message().type());
    assertEquals(1006, close.message().closeInfo().code());
    assertTrue(close.thread().startsWith("ixws-io"), "thread name");
  }
}
