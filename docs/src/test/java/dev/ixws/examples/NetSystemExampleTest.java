package dev.ixws.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.NetSystem;
import dev.ixws.server.WebSocketServer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the usage guide's init/uninit example. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetSystemExampleTest {

  @Test
  void initStartsTheSharedThreadsAndUninitStopsThem() {
    List<String> out = new CopyOnWriteArrayList<>();

    NetSystemExample.Result result = NetSystemExample.run(out::add);

    assertTrue(result.initOk());
    assertTrue(result.initializedInMain());
    assertTrue(Set.of("epoll", "nio").contains(result.transport()), result.transport());
    assertTrue(result.uninitOk());
    assertFalse(result.initializedAfterUninit());
    assertEquals(2, out.size(), out.toString());
  }

  @Test
  void aServerStartsTheSharedThreadsAgainAfterUninit() {
    NetSystemExample.run(line -> {});

    WebSocketServer server = new WebSocketServer(0);
    try {
      ListenResult result = server.listen();
      assertTrue(result.ok(), result.errorMessage());
      assertTrue(NetSystem.isInitialized());
    } finally {
      server.stop();
    }
  }
}
