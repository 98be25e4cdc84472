package io.division.jenkins;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/** What several step tests share: a small Timer, and saving an execution as Jenkins does. */
final class TestSupport {
  private TestSupport() {}

  /** Stands in for Jenkins' shared Timer: a fixed, small pool of daemon threads. */
  static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread th = new Thread(r, "test-timer");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  static StepExecution deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (StepExecution) in.readObject();
    }
  }
}
