package io.division.core.store;

import io.division.core.model.Resource;
import java.util.Map;

/**
 * One entry of a backend's change log: the object after the change (for a delete, its last state at
 * the delete's version) and the labels it had before, so a selector watch can tell an object
 * leaving or entering its selection.
 */
public record Change(
    long resourceVersion,
    WatchEvent.Type type,
    Resource resource,
    Map<String, String> previousLabels) {}
