package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixws.testkit.PublicApiChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicApiHasNoNettyTypesTest {

  @Test
  void publicSignaturesOfServerMentionNoNettyType() {
    List<String> leaks =
        new PublicApiChecker("io.netty.").leaksInPackage(WebSocketServer.class, "dev.ixws.server");
    assertEquals(List.of(), leaks, "Netty types in the public API of dev.ixws.server");
  }
}
