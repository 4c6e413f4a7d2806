package dev.ixws.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpUrlTest {

  @Test
  void defaultsPortAndPathAndDropsTheFragment() {
    HttpUrl url = HttpUrl.parse("HTTP://Example.com?q=1#frag");
    assertEquals("http", url.scheme());
    assertEquals(80, url.port());
    assertEquals("/?q=1", url.target());
    assertEquals("Example.com", url.hostHeader());
    assertEquals(new HttpUrl.Origin("http", "example.com", 80), url.origin());
    assertEquals(443, HttpUrl.parse("https://h/").port());
    assertTrue(HttpUrl.parse("https://h/").secure());
  }

  @Test
  void ipv6LiteralKeepsBracketsInHostButNotForConnecting() {
    HttpUrl url = HttpUrl.parse("http://[::1]:8080/a%20b");
    assertEquals("::1", url.connectHost());
    assertEquals("[::1]:8080", url.hostHeader());
    assertEquals("/a%20b", url.target());
  }

  @Test
  void redirectLocationsResolveRelativeAndAbsolute() {
    HttpUrl base = HttpUrl.parse("http://h:81/dir/page?x=1");
    assertEquals("http://h:81/dir/other", base.resolve("other").toString());
    assertEquals("http://h:81/root", base.resolve("/root").toString());
    assertEquals("http://elsewhere/x", base.resolve("http://elsewhere/x").toString());
    assertEquals("http://h:81/dir/page?y=2", base.resolve("?y=2").toString());
    assertFalse(base.origin().equals(base.resolve("http://h:82/").origin()));
    assertThrows(IllegalArgumentException.class, () -> base.resolve("ftp://x/"));
    assertThrows(IllegalArgumentException.class, () -> base.resolve("http://bad host/"));
  }

  @Test
  void unusableUrlsAreRefusedWithAReason() {
    for (String bad :
        new String[] {"", "/relative", "mailto:a@b", "http://", "http://u:p@h/", "http://h:0/"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> HttpUrl.parse(bad), bad);
      assertFalse(e.getMessage().isEmpty());
    }
  }
}
