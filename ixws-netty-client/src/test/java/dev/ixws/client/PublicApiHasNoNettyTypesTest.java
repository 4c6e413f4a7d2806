package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixws.testkit.PublicApiChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicApiHasNoNettyTypesTest {

  @Test
  void publicSignaturesOfClientMentionNoNettyType() {
    List<String> leaks =
        new PublicApiChecker("io.netty.").leaksInPackage(WebSocket.class, "dev.ixws.client");
    assertEquals(List.of(), leaks, "Netty types in the public API of dev.ixws.client");
  }
}
