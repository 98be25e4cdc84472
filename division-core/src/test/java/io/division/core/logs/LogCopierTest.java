package io.division.core.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.DivisionException;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying input into a log on a real SQLite store, to the end or up to a stop. */
class LogCopierTest {
  @TempDir java.nio.file.Path dir;
  Store store;
  final ResourceKey key = new ResourceKey("Approval", "default", "job");

  @BeforeEach
  void open() {
    store = new Store(SqliteBackend.open(dir.resolve("division.db")));
    store.create(Resource.of("Approval", "default", "job"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private List<String> stored() {
    List<String> lines = new ArrayList<>();
    for (LogLine l : store.readLog(key, 0, 1_000_000)) lines.add(l.text());
    return lines;
  }

  private static String numbered(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) sb.append("line ").append(i).append('\n');
    return sb.toString();
  }

  @Test
  void splitsLinesAsReadLineDoesAndKeepsALastLineWithoutNewline() throws Exception {
    InputStream in =
        new ByteArrayInputStream("a\nb\r\nc\rd\n\nü tail".getBytes(StandardCharsets.UTF_8));
    LogBatcher batcher = LogBatcher.forStore(store, key);
    LogCopier.Outcome outcome = LogCopier.start(in, batcher).await(Duration.ofSeconds(5));
    batcher.close();
    assertThat(outcome.endOfInput()).isTrue();
    assertThat(outcome.linesRead()).isEqualTo(6);
    assertThat(stored()).containsExactly("a", "b", "c", "d", "", "ü tail");
  }

  @Test
  void aStopKeepsEveryLineAlreadySentAndTheUnfinishedOne() throws Exception {
    PipedInputStream in = new PipedInputStream(1 << 20);
    PipedOutputStream producer = new PipedOutputStream(in);
    LogBatcher batcher = LogBatcher.forStore(store, key);
    LogCopier copier = LogCopier.start(in, batcher);
    // The producer is still alive and the input still open: only a stop ends this copy.
    producer.write((numbered(0, 8000) + "no newline yet").getBytes(StandardCharsets.UTF_8));
    copier.requestStop();
    LogCopier.Outcome outcome = copier.await(Duration.ofSeconds(10));
    batcher.close();
    producer.close();
    assertThat(outcome.stopped()).isTrue();
    assertThat(outcome.endOfInput()).isFalse();
    assertThat(outcome.drained()).isTrue();
    assertThat(outcome.linesRead()).isEqualTo(8001);
    List<String> lines = stored();
    assertThat(lines).hasSize(8001);
    assertThat(lines.get(7999)).isEqualTo("line 7999");
    assertThat(lines.get(8000)).isEqualTo("no newline yet");
  }

  @Test
  void aProducerThatNeverPausesIsCutAtTheDrainLimitAndSaysSo() throws Exception {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) b[off + i] = (byte) (i % 80 == 79 ? '\n' : 'x');
            return len;
          }

          @Override
          public int available() {
            return 1 << 16;
          }
        };
    LogBatcher batcher = LogBatcher.forStore(store, key);
    LogCopier copier = LogCopier.start(endless, batcher);
    copier.requestStop();
    LogCopier.Outcome outcome = copier.await(Duration.ofMillis(300));
    batcher.close();
    assertThat(outcome.complete()).isFalse();
    assertThat(outcome.drained()).isFalse();
    assertThat(batcher.written()).isEqualTo(stored().size()).isPositive();
  }

  @Test
  void aSecondStopEndsTheDrainAtOnce() throws Exception {
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream producer = new PipedOutputStream(in);
    LogBatcher batcher = LogBatcher.forStore(store, key);
    InputStream neverIdle =
        new java.io.FilterInputStream(in) {
          @Override
          public int available() {
            return 1; // claims more is coming, so only the limit or a second stop ends the drain
          }
        };
    LogCopier copier = LogCopier.start(neverIdle, batcher);
    producer.write("one\n".getBytes(StandardCharsets.UTF_8));
    copier.requestStop();
    copier.requestStop();
    long started = System.nanoTime();
    LogCopier.Outcome outcome = copier.await(Duration.ofMinutes(5));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
    batcher.close();
    producer.close();
    assertThat(outcome.complete()).isFalse();
  }

  @Test
  void aStoreFailureIsThrownAndTheCountSaysWhatWasKept() throws Exception {
    LogBatcher batcher = new LogBatcher(store, key, 10, Duration.ofMillis(1));
    for (int i = 0; i < 25; i++) batcher.add("line " + i);
    batcher.flush();
    assertThat(batcher.written()).isEqualTo(25);
    store.delete(key);
    batcher.add("lost");
    assertThatThrownBy(batcher::close)
        .isInstanceOf(DivisionException.class)
        .extracting(e -> ((DivisionException) e).reason())
        .isEqualTo(DivisionException.Reason.NOT_FOUND);
    assertThat(batcher.written()).isEqualTo(25);
    assertThat(batcher.unwritten()).isEqualTo(1);
  }

  @Test
  void batchesAreStoredInOrderWhenFullAndDelayedOnesMeet() throws Exception {
    LogBatcher batcher = new LogBatcher(store, key, 7, Duration.ofNanos(1));
    int n = 5000;
    for (int i = 0; i < n; i++) batcher.add("line " + i);
    batcher.close();
    List<String> lines = stored();
    assertThat(lines).hasSize(n);
    for (int i = 0; i < n; i++) assertThat(lines.get(i)).isEqualTo("line " + i);
  }
}
