package dev.ixws.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the TLS example with certificates made for the test, from files and from memory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsExampleTest {

  @Test
  void clientTrustingThePrivateCaGetsTheEchoFromFilesAndFromMemory(@TempDir Path dir)
      throws Exception {
    Authority ca = TestCertificates.authority("Example CA", KeyType.EC);
    Issued server = ca.server(KeyType.RSA, "localhost");
    List<String> out = new CopyOnWriteArrayList<>();
    assertEquals(
        "hello over TLS",
        TlsExample.run(
            server.writeChain(dir, "chain.pem").toString(),
            server.writeKey(dir, "key.pem", KeyFormat.TRADITIONAL).toString(),
            ca.writeCertificate(dir, "ca.pem").toString(),
            out::add));
    assertEquals(
        "hello over TLS",
        TlsExample.run(server.chainPem(), server.keyPem(), ca.certificatePem(), out::add));
    assertEquals(List.of("received: hello over TLS", "received: hello over TLS"), out);
  }
}
