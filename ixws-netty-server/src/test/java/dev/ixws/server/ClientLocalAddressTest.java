package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketInitResult;
import dev.ixws.client.WebSocket;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WebSocket#setLocalAddress}: the source IP of a client connection. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientLocalAddressTest {

  private WebSocketServer server;
  private final EventRecorder<String> remoteIps = new EventRecorder<>();
  private final WebSocket client = new WebSocket();

  @BeforeEach
  void startServer() {
    server = new WebSocketServer(0, "127.0.0.1");
    server.setOnConnectionCallback((webSocket, state) -> remoteIps.accept(state.getRemoteIp()));
    TestServers.started(server);
    client.setUrl("ws://127.0.0.1:" + server.getPort() + "/");
    client.disableAutomaticReconnection();
  }

  @AfterEach
  void stopEverything() {
    client.stop();
    server.stop();
  }

  @Test
  void clientBoundTo127002ReachesTheServerFromThatAddress() {
    client.setLocalAddress("127.0.0.2");
    assertEquals("127.0.0.2", client.getLocalAddress());

    WebSocketInitResult result = client.connect(5);

    assertTrue(result.success(), result.errorStr());
    assertEquals("127.0.0.2", remoteIps.next());
  }

  @Test
  void clientWithoutLocalAddressConnectsFromTheDefaultAddress() {
    assertNull(client.getLocalAddress());

    WebSocketInitResult result = client.connect(5);

    assertTrue(result.success(), result.errorStr());
    assertEquals("127.0.0.1", remoteIps.next());
  }

  @Test
  void localAddressThatIsNotOnThisMachineFailsTheAttempt() {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address, so bind() refuses it.
    client.setLocalAddress("192.0.2.1");

    WebSocketInitResult result = client.connect(5);

    assertFalse(result.success());
    assertTrue(result.errorStr().startsWith("Unable to connect"), result.errorStr());
    remoteIps.assertEmpty();
  }

  @Test
  void emptyLocalAddressIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> client.setLocalAddress(" "));
  }
}
