package dev.ixws.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of the file server and the compression choice. */
class StaticFilesTest {

  private static long[] one(String header, long size) {
    java.util.List<long[]> spans = StaticFiles.parseRanges(header, size);
    assertEquals(1, spans.size(), header);
    return spans.get(0);
  }

  @Test
  void byteRangesParseAsRfc9110SaysOrAreIgnored() {
    assertArrayEquals(new long[] {10, 10}, one("bytes=10-19", 100));
    assertArrayEquals(new long[] {90, 10}, one("bytes=90-", 100));
    assertArrayEquals(new long[] {80, 20}, one("bytes=-20", 100));
    assertArrayEquals(new long[] {0, 100}, one("bytes=-500", 100));
    assertArrayEquals(new long[] {95, 5}, one("bytes=95-1000", 100));
    assertNull(StaticFiles.parseRanges("bytes=100-", 100), "starts past the end: 416");
    assertNull(StaticFiles.parseRanges("bytes=-0", 100));
    assertNull(StaticFiles.parseRanges("bytes=100-200, 300-", 100), "none satisfiable: 416");
    assertEquals(0, StaticFiles.parseRanges("items=0-1", 100).size());
    assertEquals(0, StaticFiles.parseRanges("bytes=5-2", 100).size());
    assertEquals(0, StaticFiles.parseRanges("bytes=x-y", 100).size());
    assertEquals(0, StaticFiles.parseRanges("bytes=0-1,x", 100).size(), "one bad: ignored");
  }

  @Test
  void severalRangesAreSortedCoalescedAndTheUnsatisfiableDropped() {
    java.util.List<long[]> spans = StaticFiles.parseRanges("bytes=50-59, 0-1,5-9,200-", 100);
    assertEquals(3, spans.size());
    assertArrayEquals(new long[] {0, 2}, spans.get(0));
    assertArrayEquals(new long[] {5, 5}, spans.get(1));
    assertArrayEquals(new long[] {50, 10}, spans.get(2));
    // Overlapping and adjacent ones become one: no body larger than the file.
    assertArrayEquals(new long[] {0, 30}, one("bytes=0-9,5-19,20-29", 100));
    assertArrayEquals(new long[] {0, 100}, one("bytes=0-,0-,0-,-100", 100));
  }

  @Test
  void ifRangeHoldsOnlyForTheSameStrongEtagOrTheExactDate() {
    String etag = "\"64-5f5e100\"";
    long modified = 1_600_000_000L;
    String date = io.netty.handler.codec.DateFormatter.format(new java.util.Date(modified * 1000));
    assertTrue(StaticFiles.ifRangeHolds(null, etag, modified));
    assertTrue(StaticFiles.ifRangeHolds(etag, etag, modified));
    assertFalse(StaticFiles.ifRangeHolds("\"other\"", etag, modified));
    assertFalse(StaticFiles.ifRangeHolds("W/" + etag, etag, modified), "weak never matches");
    assertTrue(StaticFiles.ifRangeHolds(date, etag, modified));
    String later =
        io.netty.handler.codec.DateFormatter.format(new java.util.Date((modified + 1) * 1000));
    assertFalse(StaticFiles.ifRangeHolds(later, etag, modified));
    assertFalse(StaticFiles.ifRangeHolds("not a date", etag, modified));
  }

  @Test
  void resolveRefusesEverySegmentThatCouldLeaveTheRoot(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("root"));
    Files.writeString(root.resolve("a.txt"), "a");
    Files.writeString(dir.resolve("out.txt"), "out");
    StaticFiles files = new StaticFiles(root);
    assertEquals(root.toRealPath().resolve("a.txt"), files.resolve("/a.txt"));
    assertEquals(root.toRealPath().resolve("a.txt"), files.resolve("//a.txt"));
    for (String path :
        new String[] {
          "/../out.txt",
          "/./a.txt",
          "/x/../a.txt",
          "/..\\out.txt",
          "/a.txt\0",
          "/c:/x",
          "a.txt",
          "/missing",
          "/"
        }) {
      assertNull(files.resolve(path), path);
    }
  }

  @Test
  void gzipOnlyWhenAcceptedAndTheTypeIsText() {
    assertTrue(ServerConnection.acceptsGzip("gzip"));
    assertTrue(ServerConnection.acceptsGzip("deflate, gzip;q=0.5"));
    assertTrue(ServerConnection.acceptsGzip("*"));
    assertFalse(ServerConnection.acceptsGzip("gzip;q=0"));
    assertFalse(ServerConnection.acceptsGzip("gzip; q=0.000"));
    assertFalse(ServerConnection.acceptsGzip("br"));
    assertFalse(ServerConnection.acceptsGzip(null));
    assertTrue(ServerConnection.compressible("text/html; charset=utf-8"));
    assertTrue(ServerConnection.compressible("application/json"));
    assertTrue(ServerConnection.compressible("application/problem+json"));
    assertFalse(ServerConnection.compressible("image/png"));
    assertFalse(ServerConnection.compressible(null));
  }
}
