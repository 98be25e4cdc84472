package io.division.core.store.dynamodb;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the watches of one handle read: counter GetItems, change-table Query pages, and the
 * read capacity units DynamoDB reported for them. What watching costs is then measured rather than
 * estimated (the bench reads it through {@link DynamoBackend#watchReads()}).
 */
final class ReadMeter {
  private final LongAdder counterReads = new LongAdder();
  private final LongAdder changeQueries = new LongAdder();
  private final DoubleAdder readUnits = new DoubleAdder();
  private final LongAdder unreported = new LongAdder();

  void counterRead(double units) {
    counterReads.increment();
    add(units);
  }

  void changeQuery(double units) {
    changeQueries.increment();
    add(units);
  }

  private void add(double units) {
    if (Double.isNaN(units)) unreported.increment();
    else readUnits.add(units);
  }

  DynamoBackend.WatchReads snapshot() {
    return new DynamoBackend.WatchReads(
        counterReads.sum(), changeQueries.sum(), readUnits.sum(), unreported.sum());
  }
}
