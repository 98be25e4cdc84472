package io.division.core.store.dynamodb;

import io.division.core.DivisionException;
import java.util.regex.Pattern;

/**
 * The one place that names the DynamoDB tables, shared by the backend and the IAM policy generator
 * (it holds no AWS SDK types, so the generator can use it without the SDK).
 *
 * <p>With table prefix {@code P} (default {@code div}) and a kind {@code K}:
 *
 * <ul>
 *   <li>{@code P.K.ns.NAMESPACE}: the resources of a namespaced kind in one namespace;
 *   <li>{@code P.K.cluster}: the resources of a cluster-scoped kind (CRDs live in {@code
 *       P.CustomResourceDefinition.cluster});
 *   <li>{@code P.K.changes}: the kind's change log (what watches read) and its version counter;
 *   <li>{@code P.K.logs}: the log streams of the kind's resources.
 * </ul>
 *
 * Namespaces are DNS labels and kinds are alphanumeric, neither contains a dot, so no two (kind,
 * namespace) pairs share a table and {@code P.K.ns.*} in an IAM policy matches the resource tables
 * of kind K in every namespace and nothing else of ours.
 */
public final class DynamoTables {
  public static final String DEFAULT_PREFIX = "div";

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
  private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,62}");
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private DynamoTables() {}

  /** The resource table of {@code kind} in {@code namespace} ("" or null: cluster-scoped). */
  public static String resources(String prefix, String kind, String namespace) {
    if (namespace == null || namespace.isEmpty()) return base(prefix, kind) + ".cluster";
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw DivisionException.invalid("invalid namespace \"" + namespace + "\" for a table name");
    }
    return base(prefix, kind) + ".ns." + namespace;
  }

  /** An IAM resource pattern for the resource tables of {@code kind} in every namespace. */
  public static String resourcesInAnyNamespace(String prefix, String kind) {
    return base(prefix, kind) + ".ns.*";
  }

  public static String changes(String prefix, String kind) {
    return base(prefix, kind) + ".changes";
  }

  public static String logs(String prefix, String kind) {
    return base(prefix, kind) + ".logs";
  }

  /** Checks a table prefix: DynamoDB allows letters, digits, '_', '-' and '.' in table names. */
  public static String checkPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw DivisionException.invalid(
          "invalid table prefix \"" + prefix + "\": use 1 to 100 of A-Z a-z 0-9 _ - .");
    }
    return prefix;
  }

  public static String checkKind(String kind) {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw DivisionException.invalid("invalid kind \"" + kind + "\" for a table name");
    }
    return kind;
  }

  private static String base(String prefix, String kind) {
    return checkPrefix(prefix) + "." + checkKind(kind);
  }
}
