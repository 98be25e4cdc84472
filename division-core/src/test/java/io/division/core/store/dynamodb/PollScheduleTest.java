package io.division.core.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The adaptive schedule on a clock the test moves: no waiting, no timing. */
class PollScheduleTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final PollSchedule schedule =
      new PollSchedule(Duration.ofMillis(200), Duration.ofMillis(800), clock::get);

  private void advance(long millis) {
    clock.addAndGet(Duration.ofMillis(millis).toNanos());
  }

  @Test
  void aKindNeverReadIsDue() {
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(-1);
  }

  @Test
  void betweenReadsTheLastCounterAnswersAndQuietReadsDoubleTheWaitUpToTheCap() {
    schedule.read("Approval", 7, schedule.now());
    assertThat(schedule.interval("Approval")).isEqualTo(Duration.ofMillis(200));
    advance(50);
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(7);

    long[] expected = {400, 800, 800};
    for (long millis : expected) {
      advance(schedule.interval("Approval").toMillis());
      assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(-1);
      schedule.read("Approval", 7, schedule.now());
      assertThat(schedule.interval("Approval")).isEqualTo(Duration.ofMillis(millis));
    }
    advance(600);
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(7);
  }

  @Test
  void aReadIsDueHalfTheFastIntervalEarlySoThatFixedPassesDoNotSkipIt() {
    schedule.read("Approval", 1, schedule.now());
    advance(99);
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(1);
    advance(1);
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(-1);
  }

  @Test
  void aReadThatFindsANewVersionMakesTheNextReadSoon() {
    schedule.read("Approval", 3, schedule.now());
    for (int i = 0; i < 4; i++) {
      advance(schedule.interval("Approval").toMillis());
      schedule.read("Approval", 3, schedule.now());
    }
    assertThat(schedule.interval("Approval")).isEqualTo(Duration.ofMillis(800));
    advance(800);
    schedule.read("Approval", 4, schedule.now());
    assertThat(schedule.interval("Approval")).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aWriteThroughThisHandleMakesEveryKindDueAtOnce() {
    schedule.read("Approval", 3, schedule.now());
    schedule.read("Cluster", 9, schedule.now());
    advance(10);
    schedule.changed();
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(-1);
    assertThat(schedule.counterIfNotDue("Cluster")).isEqualTo(-1);
    advance(10);
    schedule.read("Approval", 4, schedule.now());
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(4);
  }

  @Test
  void aReadThatStartedBeforeAWriteDoesNotSatisfyIt() {
    schedule.read("Approval", 3, schedule.now());
    advance(300);
    long startedAt = schedule.now();
    advance(5);
    schedule.changed(); // the write commits while the read is under way
    advance(5);
    schedule.read("Approval", 3, startedAt);
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(-1);
  }

  @Test
  void anOlderReadFinishingLateDoesNotMoveTheCounterBack() {
    schedule.read("Approval", 3, schedule.now());
    long olderStart = schedule.now();
    advance(300);
    schedule.read("Approval", 5, schedule.now());
    schedule.read("Approval", 4, olderStart);
    advance(10);
    assertThat(schedule.counterIfNotDue("Approval")).isEqualTo(5);
  }
}
