package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.server.OnConnectionCallback;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The browser's own {@code WebSocket} (Debian's headless Chromium) against our {@link
 * WebSocketServer}: the driver page runs one scenario per test and reports what the browser saw,
 * and the test checks that report together with what our server saw.
 */
@Timeout(60)
class ChromiumAgainstOurServerTest {

  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(30);
  private static final int LARGE = 4 * 1024 * 1024;
  private static final String CLOSED_DONE =
      "\"close\":{\"code\":1000,\"reason\":\"done\",\"wasClean\":true}";

  private static Chromium chromium;

  private WebSocketServer server;
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();

  @BeforeAll
  static void startChromium() {
    chromium = Chromium.start();
  }

  @AfterAll
  static void stopChromium() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void browserTextMessageRoundTripsThroughOurEchoServerWithDeflateDeclined() {
    startServer(echoing());
    String text = "hello from Chromium, ü € 𝄞";

    String report = chromium.run(scenario("text", ",\"text\":" + quote(text)), SCENARIO_TIMEOUT);

    assertEquals(
        "{\"scenario\":\"text\",\"echo\":"
            + quote(text)
            + ",\"extensions\":\"permessage-deflate\",\"protocol\":\"\","
            + CLOSED_DONE
            + "}",
        report);
    WebSocketMessage open = serverEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
    assertTrue(
        open.openInfo().headers().getOrDefault("User-Agent", "").contains("HeadlessChrome"),
        () -> "not Chromium: " + open.openInfo().headers());
    assertTrue(
        open.openInfo()
            .headers()
            .getOrDefault("Sec-WebSocket-Extensions", "")
            .contains("permessage-deflate"),
        () -> "Chromium did not offer deflate: " + open.openInfo().headers());
    // Per-message deflate is on by default: the page's WebSocket reports it (above), and so does
    // the server's open info.
    assertTrue(open.openInfo().perMessageDeflate().enabled(), open::toString);
    WebSocketMessage message = serverEvents.next();
    assertEquals(text, message.str());
    assertEquals(false, message.binary());
    assertEquals(new WebSocketCloseInfo(1000, "done", true), nextClose().closeInfo());
  }

  @Test
  void browserArrayBufferWithAll256ByteValuesRoundTripsBothWays() {
    byte[] all = new byte[256];
    byte[] reversed = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
      reversed[i] = (byte) (255 - i);
    }
    startServer(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                message -> {
                  serverEvents.accept(message);
                  if (message.type() == WebSocketMessageType.MESSAGE) {
                    webSocket.send(message.bytes(), true);
                    webSocket.sendBinary(reversed);
                  }
                }));

    String report = chromium.run(scenario("binary", ""), SCENARIO_TIMEOUT);

    assertEquals(
        "{\"scenario\":\"binary\",\"echoType\":\"[object ArrayBuffer]\",\"echoMatches\":true,"
            + "\"reversedMatches\":true,"
            + CLOSED_DONE
            + "}",
        report);
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    WebSocketMessage message = serverEvents.next();
    assertTrue(message.binary(), message::toString);
    assertArrayEquals(all, message.bytes());
    assertEquals(new WebSocketCloseInfo(1000, "done", true), nextClose().closeInfo());
  }

  @Test
  void fourMegabyteBinaryAndTextMessagesRoundTripBetweenBrowserAndOurServer() {
    startServer(echoing());

    long started = System.nanoTime();
    String report = chromium.run(scenario("large", ",\"size\":" + LARGE), SCENARIO_TIMEOUT);
    long millis = (System.nanoTime() - started) / 1_000_000;

    int textChars = LARGE / 5 * 2 + LARGE % 5;
    assertEquals(
        "{\"scenario\":\"large\",\"binaryLength\":"
            + LARGE
            + ",\"binaryMatches\":true,\"textLength\":"
            + textChars
            + ",\"textMatches\":true,"
            + CLOSED_DONE
            + "}",
        report,
        () -> "after " + millis + " ms");
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    // Chromium sends big messages in fragments: our server reports each as a FRAGMENT event first.
    WebSocketMessage binary = nextMessage();
    assertTrue(binary.binary());
    assertEquals(LARGE, binary.size());
    WebSocketMessage text = nextMessage();
    assertEquals(false, text.binary());
    assertEquals(LARGE, text.size());
    assertEquals(textChars, text.str().length());
    assertEquals(new WebSocketCloseInfo(1000, "done", true), nextClose().closeInfo());
  }

  @Test
  void browserCloseWith4000AndByeReachesOurServer() {
    startServer(echoing());

    String report = chromium.run(scenario("browser-close", ""), SCENARIO_TIMEOUT);

    assertEquals(
        "{\"scenario\":\"browser-close\","
            + "\"close\":{\"code\":4000,\"reason\":\"bye\",\"wasClean\":true}}",
        report);
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    assertEquals(new WebSocketCloseInfo(4000, "bye", true), nextClose().closeInfo());
  }

  @Test
  void ourServerCloseWith4001AndReasonReachesTheBrowser() {
    startServer(TestServers.closingOnOpen(serverEvents::accept, 4001, "server bye"));

    String report = chromium.run(scenario("server-close", ""), SCENARIO_TIMEOUT);

    assertEquals(
        "{\"scenario\":\"server-close\","
            + "\"close\":{\"code\":4001,\"reason\":\"server bye\",\"wasClean\":true}}",
        report);
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    assertEquals(new WebSocketCloseInfo(4001, "server bye", false), nextClose().closeInfo());
  }

  @Test
  void browserGetsTheChatSubprotocolItRequestedFromOurServer() {
    startServer(echoing(), "chat");

    String report =
        chromium.run(scenario("subprotocol", ",\"protocols\":[\"chat\"]"), SCENARIO_TIMEOUT);

    assertEquals(
        "{\"scenario\":\"subprotocol\",\"protocol\":\"chat\"," + CLOSED_DONE + "}", report);
    WebSocketMessage open = serverEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
    assertEquals("chat", open.openInfo().protocol());
    assertEquals(new WebSocketCloseInfo(1000, "done", true), nextClose().closeInfo());
  }

  @Test
  void ourServerPicksTheSubprotocolItSupportsAmongThoseTheBrowserOffers() {
    startServer(echoing(), "chat");

    String report =
        chromium.run(
            scenario("subprotocol", ",\"protocols\":[\"superchat\",\"chat\"]"), SCENARIO_TIMEOUT);

    assertEquals(
        "{\"scenario\":\"subprotocol\",\"protocol\":\"chat\"," + CLOSED_DONE + "}", report);
    assertEquals("chat", serverEvents.next().openInfo().protocol());
    assertEquals(new WebSocketCloseInfo(1000, "done", true), nextClose().closeInfo());
  }

  @Test
  void browserFailsTheHandshakeWhenOurServerSupportsNoneOfItsSubprotocols() {
    startServer(echoing());

    String report =
        chromium.run(
            scenario("subprotocol-refused", ",\"protocols\":[\"chat\"]"), SCENARIO_TIMEOUT);

    // RFC 6455 4.1: the client fails the connection; the browser reports error, then close 1006.
    assertEquals(
        "{\"scenario\":\"subprotocol-refused\",\"first\":\"error\","
            + "\"close\":{\"code\":1006,\"reason\":\"\",\"wasClean\":false}}",
        report);
    // Our server accepted without a subprotocol; the browser then dropped the connection.
    WebSocketMessage open = serverEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
    assertEquals("", open.openInfo().protocol());
    assertEquals("chat", open.openInfo().headers().get("Sec-WebSocket-Protocol"));
    WebSocketMessage close = serverEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type(), close::toString);
    assertEquals(1006, close.closeInfo().code());
    assertTrue(close.closeInfo().remote());
  }

  /** A connection callback that records every event and echoes each message as it came. */
  private OnConnectionCallback echoing() {
    return TestServers.echoing(serverEvents::accept);
  }

  private WebSocketMessage nextMessage() {
    return serverEvents.nextMatching(
        message -> message.type() == WebSocketMessageType.MESSAGE, Duration.ofSeconds(10));
  }

  private WebSocketMessage nextClose() {
    return serverEvents.nextMatching(
        message -> message.type() == WebSocketMessageType.CLOSE, Duration.ofSeconds(10));
  }

  /** Starts our server on a free port with {@code callback}, supporting {@code subprotocols}. */
  private void startServer(OnConnectionCallback callback, String... subprotocols) {
    server = TestServers.serving(callback).subprotocols(subprotocols).start();
  }

  /** The JSON scenario for the page: its name, our server's URL and {@code moreFields}. */
  private String scenario(String name, String moreFields) {
    return "{\"scenario\":"
        + quote(name)
        + ",\"url\":"
        + quote("ws://127.0.0.1:" + server.getPort() + "/browser")
        + moreFields
        + "}";
  }

  /** {@code text} as a JSON string, escaped as {@code JSON.stringify} does for these tests. */
  static String quote(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }
}
