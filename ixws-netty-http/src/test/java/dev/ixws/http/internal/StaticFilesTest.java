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

  @Test
  void byteRangesParseAsRfc9110SaysOrAreIgnored() {
    assertArrayEquals(new long[] {10, 10}, StaticFiles.parseRange("bytes=10-19", 100));
    assertArrayEquals(new long[] {90, 10}, StaticFiles.parseRange("bytes=90-", 100));
    assertArrayEquals(new long[] {80, 20}, StaticFiles.parseRange("bytes=-20", 100));
    assertArrayEquals(new long[] {0, 100}, StaticFiles.parseRange("bytes=-500", 100));
    assertArrayEquals(new long[] {95, 5}, StaticFiles.parseRange("bytes=95-1000", 100));
    assertNull(StaticFiles.parseRange("bytes=100-", 100), "starts past the end: 416");
    assertNull(StaticFiles.parseRange("bytes=-0", 100));
    assertEquals(0, StaticFiles.parseRange("bytes=0-1,5-6", 100).length, "several: whole file");
    assertEquals(0, StaticFiles.parseRange("items=0-1", 100).length);
    assertEquals(0, StaticFiles.parseRange("bytes=5-2", 100).length);
    assertEquals(0, StaticFiles.parseRange("bytes=x-y", 100).length);
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
