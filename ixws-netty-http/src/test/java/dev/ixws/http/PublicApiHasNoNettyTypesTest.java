package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixws.testkit.PublicApiChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicApiHasNoNettyTypesTest {

  @Test
  void publicSignaturesOfHttpMentionNoNettyType() {
    List<String> leaks =
        new PublicApiChecker("io.netty.").leaksInPackage(HttpClient.class, "dev.ixws.http");
    assertEquals(List.of(), leaks, "Netty types in the public API of dev.ixws.http");
  }
}
