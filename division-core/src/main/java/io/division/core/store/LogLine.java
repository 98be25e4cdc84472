package io.division.core.store;

import java.time.Instant;

/** One line of a resource's log stream; {@code seq} orders the stream and resumes a reader. */
public record LogLine(long seq, Instant time, String text) {}
