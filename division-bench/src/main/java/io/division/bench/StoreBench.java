package io.division.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Issue 2's store figures: apply, get and list of 10,000 resources on the embedded store, side by
 * side with raw sqlite-jdbc under the same settings (WAL, synchronous=NORMAL, busy_timeout) and a
 * comparable table (key columns, a labels column and a JSON body).
 */
final class StoreBench {
  private static final int N = 10_000;
  private static final int BATCH = 500;

  static void run(Path work, int rounds) throws Exception {
    System.out.println(
        "## store: 10,000 resources, ours vs raw sqlite-jdbc, median of " + rounds + " rounds\n");
    List<double[]> ours = new ArrayList<>();
    List<double[]> raw = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      ours.add(ours(work.resolve("ours-" + round + ".db")));
      raw.add(raw(work.resolve("raw-" + round + ".db")));
    }
    String[] names = {
      "apply, one per transaction (resources/s)",
      "apply, 500 per transaction (resources/s)",
      "get p50 (ms)",
      "get p99 (ms)",
      "get max (ms)",
      "list 10,000, no selector (ms)",
      "list with selector team=t3, 1,000 match (ms)"
    };
    System.out.println("| measure | ours | raw sqlite-jdbc | ours / raw |");
    System.out.println("| --- | ---: | ---: | ---: |");
    for (int i = 0; i < names.length; i++) {
      double o = median(ours, i);
      double r = median(raw, i);
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2f |%n", names[i], o, r, o / r);
    }
    System.out.println();
  }

  private static double median(List<double[]> rows, int i) {
    double[] v = rows.stream().mapToDouble(r -> r[i]).sorted().toArray();
    return v[v.length / 2];
  }

  private static Resource resource(int i) {
    ObjectNode spec =
        Json.object()
            .put("requester", "ci")
            .put("reason", "deploy build " + i)
            .put("replicas", i % 5);
    return new Resource(
        null,
        "Approval",
        new ObjectMeta(
            "a" + i,
            "default",
            Map.of("team", "t" + (i % 10), "idx", Integer.toString(i)),
            null,
            null,
            null,
            null,
            null,
            null),
        spec,
        null);
  }

  private static double[] ours(Path db) throws Exception {
    Files.deleteIfExists(db);
    double[] out = new double[7];
    try (Store store = new Store(SqliteBackend.open(db))) {
      for (int i = 0; i < 200; i++) store.apply(resource(N + i)); // warm-up
      long t = System.nanoTime();
      for (int i = 0; i < N / 2; i++) store.apply(resource(i));
      out[0] = (N / 2) / ((System.nanoTime() - t) / 1e9);
      t = System.nanoTime();
      for (int i = N / 2; i < N; i += BATCH) {
        List<Resource> batch = new ArrayList<>();
        for (int j = i; j < i + BATCH; j++) batch.add(resource(j));
        store.applyAll(batch);
      }
      out[1] = (N / 2) / ((System.nanoTime() - t) / 1e9);
      Random rnd = new Random(1);
      for (int i = 0; i < 2000; i++)
        store.get(new ResourceKey("Approval", "default", "a" + rnd.nextInt(N)));
      List<Long> gets = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        long s = System.nanoTime();
        store.get(new ResourceKey("Approval", "default", "a" + rnd.nextInt(N)));
        gets.add(System.nanoTime() - s);
      }
      Stats g = Stats.ofNanos(gets);
      out[2] = g.p50();
      out[3] = g.p99();
      out[4] = g.max();
      out[5] =
          bestOf(5, () -> store.list(new ListQuery("Approval", "default", null)).items().size());
      LabelSelector team3 = LabelSelector.parse("team=t3");
      out[6] =
          bestOf(5, () -> store.list(new ListQuery("Approval", "default", team3)).items().size());
    }
    return out;
  }

  private static double[] raw(Path db) throws Exception {
    Files.deleteIfExists(db);
    double[] out = new double[7];
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute(
            "CREATE TABLE resources (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, rv INTEGER NOT NULL,"
                + " labels TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, namespace, name)) WITHOUT ROWID");
      }
      PreparedStatement ins =
          c.prepareStatement("INSERT INTO resources VALUES ('Approval','default',?,?,?,?)");
      for (int i = 0; i < 200; i++) insert(ins, N + i, true, c);
      long t = System.nanoTime();
      for (int i = 0; i < N / 2; i++) insert(ins, i, true, c);
      out[0] = (N / 2) / ((System.nanoTime() - t) / 1e9);
      t = System.nanoTime();
      c.setAutoCommit(false);
      for (int i = N / 2; i < N; i += BATCH) {
        for (int j = i; j < i + BATCH; j++) insert(ins, j, false, c);
        c.commit();
      }
      c.setAutoCommit(true);
      out[1] = (N / 2) / ((System.nanoTime() - t) / 1e9);
      PreparedStatement get =
          c.prepareStatement(
              "SELECT body FROM resources WHERE kind='Approval' AND namespace='default' AND name=?");
      Random rnd = new Random(1);
      for (int i = 0; i < 2000; i++) rawGet(get, rnd.nextInt(N));
      List<Long> gets = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        long s = System.nanoTime();
        rawGet(get, rnd.nextInt(N));
        gets.add(System.nanoTime() - s);
      }
      Stats g = Stats.ofNanos(gets);
      out[2] = g.p50();
      out[3] = g.p99();
      out[4] = g.max();
      PreparedStatement all =
          c.prepareStatement(
              "SELECT labels, body FROM resources WHERE kind='Approval' AND namespace='default' ORDER BY name");
      out[5] = bestOf(5, () -> rawList(all, null));
      out[6] = bestOf(5, () -> rawList(all, "t3"));
    }
    return out;
  }

  /**
   * A raw row as comparable as it gets: the same JSON body ours writes, built without our model.
   */
  private static void insert(PreparedStatement ins, int i, boolean commitEach, Connection c)
      throws Exception {
    ObjectNode body = resource(i).toJson();
    body.with("metadata").put("resourceVersion", Integer.toString(i));
    ins.setString(1, "a" + i);
    ins.setLong(2, i);
    ins.setString(3, "{\"idx\":\"" + i + "\",\"team\":\"t" + (i % 10) + "\"}");
    ins.setString(4, body.toString());
    ins.executeUpdate();
  }

  private static void rawGet(PreparedStatement get, int i) throws Exception {
    get.setString(1, "a" + i);
    try (ResultSet rs = get.executeQuery()) {
      if (rs.next()) Json.mapper().readTree(rs.getString(1));
    }
  }

  private static int rawList(PreparedStatement all, String team) throws Exception {
    int n = 0;
    try (ResultSet rs = all.executeQuery()) {
      while (rs.next()) {
        if (team != null
            && !Json.mapper().readTree(rs.getString(1)).path("team").asText().equals(team))
          continue;
        Json.mapper().readTree(rs.getString(2));
        n++;
      }
    }
    return n;
  }

  @FunctionalInterface
  interface Work {
    int run() throws Exception;
  }

  /** Best of several runs, in ms: a list is a single pass whose noise is all upward. */
  private static double bestOf(int runs, Work w) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      w.run();
      best = Math.min(best, (System.nanoTime() - s) / 1e6);
    }
    return best;
  }
}
