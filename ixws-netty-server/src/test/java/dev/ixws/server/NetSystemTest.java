package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.NetSystem;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.testkit.EventRecorder;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetSystemTest {

  @Test
  void uninitStopsTheSharedThreadsAndTheNextUseStartsThemAgain() {
    NetSystem.uninit();
    assertFalse(NetSystem.isInitialized());
    assertTrue(NetSystem.init(2));
    assertThrows(IllegalStateException.class, () -> NetSystem.init(3));

    NetSystem.uninit();
    assertFalse(NetSystem.isInitialized());
    // A server created afterwards starts the loops again on its own.
    WebSocketServer server = new WebSocketServer(0);
    assertTrue(server.listen().ok());
    server.start();
    assertTrue(NetSystem.isInitialized());
    server.stop();
  }

  @Test
  void manyConnectionsShareTheEventLoopThreads() {
    NetSystem.uninit();
    NetSystem.init(2);
    WebSocketServer server = new WebSocketServer(0, "127.0.0.1", 128, 200, 3);
    assertTrue(server.listen().ok());
    server.start();
    EventRecorder<WebSocketMessage> opens = new EventRecorder<>();
    WebSocket[] clients = new WebSocket[100];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = new WebSocket();
      clients[i].setUrl("ws://127.0.0.1:" + server.getPort() + "/");
      clients[i].setOnMessageCallback(
          msg -> {
            if (msg.type() == WebSocketMessageType.OPEN) {
              opens.accept(msg);
            }
          });
      clients[i].start();
    }
    for (int i = 0; i < clients.length; i++) {
      opens.next();
    }
    // 100 clients and 100 server-side connections, all on the two shared I/O threads.
    assertEquals(2, ioThreads().size(), () -> "I/O threads: " + ioThreads());
    for (WebSocket client : clients) {
      client.stop();
    }
    server.stop();
    NetSystem.uninit();
  }

  @Test
  void transportIsEpollOnLinux() {
    assertEquals(
        System.getProperty("os.name").startsWith("Linux") ? "epoll" : "nio",
        NetSystem.transportName());
  }

  private static Set<String> ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith("ixws-io"))
        .collect(Collectors.toSet());
  }
}
