package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ChatCommandTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private CommandRun server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.interrupt();
      server.awaitExit();
    }
  }

  @Test
  void twoClientsSeeEachOthersLinesThroughTheBroadcastServer() {
    server = CommandRun.start("broadcast-server", "--port", "0", "-q");
    Matcher listening = LISTENING.matcher(server.out.next());
    assertTrue(listening.matches());
    String url = "ws://127.0.0.1:" + listening.group(1) + "/";

    CommandRun alice = CommandRun.start("chat", url, "alice");
    CommandRun bob = CommandRun.start("chat", url, "bob");
    for (CommandRun run : new CommandRun[] {alice, bob}) {
      assertEquals("Type Ctrl-D to exit prompt...", run.nextOut());
      assertEquals("Connecting to url: " + url, run.nextOut());
      assertEquals("ws chat: connected", run.nextOut());
    }
    assertEquals("ws chat: user alice connected !", alice.nextOut());
    assertEquals("ws chat: user bob connected !", bob.nextOut());

    alice.type("hi bob, \"quoted\" and grüße");
    assertChatLine("alice", "hi bob, \"quoted\" and grüße", bob.nextOut());
    bob.type("hello alice");
    assertChatLine("bob", "hello alice", alice.nextOut());
    // Neither got its own line back: alice's next line is bob's, and bob has nothing more.
    bob.out.assertNoMoreLines();

    alice.closeStdin();
    assertEquals(Ixws.EXIT_OK, alice.awaitExit());
    assertEquals(
        "ws chat: user alice disconnected: code 1000 reason \"Normal closure\"", alice.nextOut());
    bob.closeStdin();
    assertEquals(Ixws.EXIT_OK, bob.awaitExit());
    assertEquals(
        "ws chat: user bob disconnected: code 1000 reason \"Normal closure\"", bob.nextOut());
    alice.err.assertNoMoreLines();
    bob.err.assertNoMoreLines();
  }

  @Test
  void chatMessagesAreIxJsonAndOtherJsonIsRefused() {
    ChatMessage message = new ChatMessage("zoë", "a \"b\"\n\\c");
    assertEquals("{\"user\":\"zoë\",\"text\":\"a \\\"b\\\"\\n\\\\c\"}", message.encode());
    assertEquals(Optional.of(message), ChatMessage.decode(message.encode()));
    assertEquals(
        Optional.of(new ChatMessage("x", "é")),
        ChatMessage.decode(
            " { \"n\": 1.5e3, \"user\" : \"x\", \"ok\":true, \"text\":\"\\u00e9\" } "));
    assertEquals(Optional.empty(), ChatMessage.decode("{\"user\":\"x\"}"));
    assertEquals(Optional.empty(), ChatMessage.decode("{\"user\":\"x\",\"text\":[1]}"));
    assertEquals(Optional.empty(), ChatMessage.decode("{\"user\":\"x\",\"text\":\"t\"} trailing"));
    assertEquals(Optional.empty(), ChatMessage.decode("not json"));
  }

  private static void assertChatLine(String user, String text, String line) {
    assertTrue(
        line.matches(Pattern.quote(user) + "\\(\\d+ bytes\\) > " + Pattern.quote(text)), line);
  }
}
