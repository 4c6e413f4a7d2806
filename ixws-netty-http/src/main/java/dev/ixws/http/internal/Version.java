package dev.ixws.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version, from the filtered {@code version.properties} resource. */
final class Version {

  /** The version, or {@code "dev"} when the resource is missing. */
  static final String VERSION = load();

  /** The default {@code User-Agent}: {@code ixws-netty/<version>}. */
  static final String USER_AGENT = "ixws-netty/" + VERSION;

  private Version() {}

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
