package io.division.core.iam;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.kind.BuiltinKinds;
import io.division.core.kind.KindDefinition;
import io.division.core.model.Json;
import io.division.core.store.dynamodb.DynamoTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Prints the IAM policy for {@code div gen iampolicy readonly|writeonly|readwrite KIND...}: the
 * DynamoDB actions the store's operations call, on exactly the tables those kinds use, and no
 * wider. Pure: no AWS SDK, no network.
 *
 * <p>What each access level allows, per kind (see {@code DynamoBackend} for why each call is made):
 *
 * <ul>
 *   <li>readonly (get, list, watch, read logs): GetItem and Scan on the resource tables; GetItem
 *       and Query on the change table (its counter item and the watch); GetItem and Query on the
 *       log table.
 *   <li>writeonly (create, update, apply, delete, write logs): GetItem, PutItem and DeleteItem on
 *       the resource tables (a write reads the state it replaces); GetItem, PutItem and UpdateItem
 *       on the change table (counter and change records); UpdateItem and BatchWriteItem on the log
 *       table; CreateTable and DescribeTable on all of them, because tables are created on first
 *       write, and UpdateTimeToLive on the change and log tables, which have a TTL.
 *   <li>readwrite: both.
 * </ul>
 *
 * Every level may read the CRD table (GetItem and Scan, plus GetItem on its change table's
 * counter), because every CLI call resolves kinds from it. No stream permissions: div reads the
 * change tables, not DynamoDB Streams (which stay enabled for consumers outside div). No index
 * permissions: the tables have no secondary indexes.
 */
public final class IamPolicyGenerator {
  public static final String CRD_KIND = "CustomResourceDefinition";

  private static final Pattern ACCOUNT = Pattern.compile("\\*|[0-9]{12}");
  private static final Pattern REGION = Pattern.compile("\\*|[a-z]{2}(-[a-z0-9]+)+-[0-9]+");

  private IamPolicyGenerator() {}

  public enum Access {
    READONLY,
    WRITEONLY,
    READWRITE;

    /** {@code readonly}, {@code writeonly} or {@code readwrite}, as on the command line. */
    public static Access parse(String text) {
      for (Access a : values()) {
        if (a.name().equalsIgnoreCase(text)) return a;
      }
      throw DivisionException.invalid(
          "unknown access \"" + text + "\": use readonly, writeonly or readwrite");
    }

    boolean reads() {
      return this != WRITEONLY;
    }

    boolean writes() {
      return this != READONLY;
    }
  }

  /**
   * The two roles that share a store, each with exactly the kinds it reads and the kinds it writes
   * (writing includes reading: every write reads the state it replaces).
   */
  public enum Preset {
    /**
     * A cluster's gateway: reads the Deployments it serves and their Applications; writes Releases,
     * Installs (and their logs) and its Cluster, which also carries the cluster's lease.
     */
    GATEWAY(
        List.of(BuiltinKinds.DEPLOYMENT, BuiltinKinds.APPLICATION),
        List.of(BuiltinKinds.RELEASE, BuiltinKinds.INSTALL, BuiltinKinds.CLUSTER)),
    /**
     * CI ({@code div deploy}, {@code div apply} of approvals, {@code div wait}): writes Deployments
     * and Approvals, reads the rest to follow them.
     */
    CI(
        List.of(
            BuiltinKinds.PROJECT,
            BuiltinKinds.APPLICATION,
            BuiltinKinds.RELEASE,
            BuiltinKinds.INSTALL,
            BuiltinKinds.CLUSTER),
        List.of(BuiltinKinds.DEPLOYMENT, BuiltinKinds.APPROVAL));

    private final List<String> reads;
    private final List<String> readsAndWrites;

    Preset(List<String> reads, List<String> readsAndWrites) {
      this.reads = reads;
      this.readsAndWrites = readsAndWrites;
    }

    public List<String> reads() {
      return reads;
    }

    public List<String> readsAndWrites() {
      return readsAndWrites;
    }

    /** {@code gateway} or {@code ci}, as on the command line; empty for anything else. */
    public static Optional<Preset> find(String text) {
      for (Preset p : values()) {
        if (p.name().toLowerCase(Locale.ROOT).equals(text)) return Optional.of(p);
      }
      return Optional.empty();
    }
  }

  /**
   * What to generate a policy for.
   *
   * @param kinds canonical kind names ({@code Approval})
   * @param clusterScopedKinds those of {@code kinds} without namespaces (their table is {@code
   *     P.KIND.cluster}); {@code CustomResourceDefinition} always is
   * @param namespaces namespaces of the namespaced kinds; {@code *} means every namespace
   * @param tablePrefix the store URL's table prefix ({@code div} for a bare {@code dynamodb://})
   * @param region AWS region or {@code *}
   * @param account 12-digit AWS account id or {@code *}
   */
  public record Request(
      Access access,
      List<String> kinds,
      Set<String> clusterScopedKinds,
      List<String> namespaces,
      String tablePrefix,
      String region,
      String account) {
    public Request {
      Objects.requireNonNull(access, "access");
      if (kinds == null || kinds.isEmpty())
        throw DivisionException.invalid("name at least one kind");
      kinds = List.copyOf(new LinkedHashSet<>(kinds));
      kinds.forEach(DynamoTables::checkKind);
      clusterScopedKinds = clusterScopedKinds == null ? Set.of() : Set.copyOf(clusterScopedKinds);
      namespaces =
          namespaces == null || namespaces.isEmpty()
              ? List.of("default")
              : List.copyOf(new LinkedHashSet<>(namespaces));
      if (namespaces.contains("*")) namespaces = List.of("*");
      tablePrefix =
          DynamoTables.checkPrefix(tablePrefix == null ? DynamoTables.DEFAULT_PREFIX : tablePrefix);
      region = region == null ? "*" : region;
      account = account == null ? "*" : account;
      if (!REGION.matcher(region).matches()) {
        throw DivisionException.invalid("invalid region \"" + region + "\" (e.g. us-east-1, or *)");
      }
      if (!ACCOUNT.matcher(account).matches()) {
        throw DivisionException.invalid("invalid account \"" + account + "\": 12 digits, or *");
      }
      for (String ns : namespaces) {
        if (!ns.equals("*")) DynamoTables.resources(tablePrefix, "Check", ns); // validates the name
      }
    }

    /** Defaults: namespace {@code default}, prefix {@code div}, any region and account. */
    public static Request of(Access access, List<String> kinds) {
      return new Request(access, kinds, null, null, null, null, null);
    }

    public Request withNamespaces(List<String> ns) {
      return new Request(access, kinds, clusterScopedKinds, ns, tablePrefix, region, account);
    }

    public Request withClusterScopedKinds(Set<String> cluster) {
      return new Request(access, kinds, cluster, namespaces, tablePrefix, region, account);
    }

    public Request withTablePrefix(String prefix) {
      return new Request(access, kinds, clusterScopedKinds, namespaces, prefix, region, account);
    }

    public Request withRegion(String r) {
      return new Request(access, kinds, clusterScopedKinds, namespaces, tablePrefix, r, account);
    }

    public Request withAccount(String a) {
      return new Request(access, kinds, clusterScopedKinds, namespaces, tablePrefix, region, a);
    }

    /** The same namespaces, prefix, region and account for other kinds at another level. */
    Request withGrant(Access level, List<String> grantKinds, Set<String> clusterScoped) {
      return new Request(
          level, grantKinds, clusterScoped, namespaces, tablePrefix, region, account);
    }
  }

  /**
   * A preset's policy: its reads and its writes in one document, scoped by the namespaces, prefix,
   * region and account of {@code scope} (whose own access and kinds are not used).
   */
  public static ObjectNode generate(Preset preset, Request scope) {
    Set<String> clusterScoped = new LinkedHashSet<>();
    for (KindDefinition def : BuiltinKinds.ALL)
      if (!def.namespaced()) clusterScoped.add(def.kind());
    Map<String, Statement> statements = new LinkedHashMap<>();
    collect(statements, scope.withGrant(Access.READONLY, preset.reads(), clusterScoped));
    collect(statements, scope.withGrant(Access.READWRITE, preset.readsAndWrites(), clusterScoped));
    return document(statements, scope);
  }

  /** {@link #generate(Preset, Request)} as indented JSON. */
  public static String generateJson(Preset preset, Request scope) {
    return Json.writePretty(generate(preset, scope));
  }

  /** The policy document. Statements and actions come in a stable order, for diffs and tests. */
  public static ObjectNode generate(Request request) {
    Map<String, Statement> statements = new LinkedHashMap<>();
    collect(statements, request);
    return document(statements, request);
  }

  /**
   * Adds the request's statements: Sid -> (actions, tables); one statement per kind and table role
   * keeps the policy readable, and a second request for the same kind widens the same statement.
   */
  private static void collect(Map<String, Statement> statements, Request request) {
    Access access = request.access();
    String p = request.tablePrefix();
    for (String kind : request.kinds()) {
      List<String> resourceTables = new ArrayList<>();
      if (kind.equals(CRD_KIND) || request.clusterScopedKinds().contains(kind)) {
        resourceTables.add(DynamoTables.resources(p, kind, ""));
      } else {
        for (String ns : request.namespaces()) {
          resourceTables.add(
              ns.equals("*")
                  ? DynamoTables.resourcesInAnyNamespace(p, kind)
                  : DynamoTables.resources(p, kind, ns));
        }
      }
      Statement resources = statements.computeIfAbsent(kind + "Resources", k -> new Statement());
      resources.tables.addAll(resourceTables);
      Statement changes = statements.computeIfAbsent(kind + "Changes", k -> new Statement());
      changes.tables.add(DynamoTables.changes(p, kind));
      Statement logs = statements.computeIfAbsent(kind + "Logs", k -> new Statement());
      logs.tables.add(DynamoTables.logs(p, kind));
      if (access.reads()) {
        resources.actions.addAll(List.of("GetItem", "Scan"));
        changes.actions.addAll(List.of("GetItem", "Query"));
        logs.actions.addAll(List.of("GetItem", "Query"));
      }
      if (access.writes()) {
        resources.actions.addAll(List.of("GetItem", "PutItem", "DeleteItem"));
        changes.actions.addAll(List.of("GetItem", "PutItem", "UpdateItem"));
        logs.actions.addAll(List.of("UpdateItem", "BatchWriteItem"));
        // Only change and log tables have a TTL attribute to switch on.
        resources.actions.addAll(List.of("CreateTable", "DescribeTable"));
        List<String> createWithTtl = List.of("CreateTable", "DescribeTable", "UpdateTimeToLive");
        changes.actions.addAll(createWithTtl);
        logs.actions.addAll(createWithTtl);
      }
    }
    if (!request.kinds().contains(CRD_KIND) || access == Access.WRITEONLY) {
      // Every div call resolves kinds, which lists CRDs: read the CRD table and its counter.
      Statement crds = statements.computeIfAbsent(CRD_KIND + "Resources", k -> new Statement());
      crds.tables.add(DynamoTables.resources(p, CRD_KIND, ""));
      crds.actions.addAll(List.of("GetItem", "Scan"));
      Statement crdChanges = statements.computeIfAbsent(CRD_KIND + "Changes", k -> new Statement());
      crdChanges.tables.add(DynamoTables.changes(p, CRD_KIND));
      crdChanges.actions.add("GetItem");
    }
  }

  private static ObjectNode document(Map<String, Statement> statements, Request request) {
    ObjectNode policy = Json.object();
    policy.put("Version", "2012-10-17");
    ArrayNode list = policy.putArray("Statement");
    for (Map.Entry<String, Statement> e : statements.entrySet()) {
      Statement s = e.getValue();
      if (s.actions.isEmpty()) continue;
      ObjectNode statement = list.addObject();
      statement.put("Sid", e.getKey());
      statement.put("Effect", "Allow");
      ArrayNode actions = statement.putArray("Action");
      s.actions.forEach(a -> actions.add("dynamodb:" + a));
      ArrayNode resources = statement.putArray("Resource");
      for (String table : s.tables) {
        resources.add(
            "arn:aws:dynamodb:" + request.region() + ":" + request.account() + ":table/" + table);
      }
    }
    return policy;
  }

  /** {@link #generate} as indented JSON, ready for {@code aws iam create-policy}. */
  public static String generateJson(Request request) {
    return Json.writePretty(generate(request));
  }

  private static final class Statement {
    final Set<String> actions = new TreeSet<>();
    final Set<String> tables = new LinkedHashSet<>();
  }
}
