package io.division.jenkins;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.Permission;
import io.division.core.DivisionException;
import io.division.core.approval.ApprovalPolicy;
import io.division.core.approval.Approvals;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.springframework.security.core.GrantedAuthority;

/**
 * The build page's view of an approval a {@code divWait} waits on: what is asked and who asked,
 * with Approve and Reject buttons (index.jelly) while the wait runs. Decisions arrive only by POST
 * (Jenkins' crumb filter rejects a POST without the form's CSRF crumb), are allowed by {@link
 * ApprovalDecisions}, and are written to the store, so the waiting build, {@code div wait} and
 * {@code div get} all see the same decision; the build sees it on its next check.
 */
public final class DivisionApprovalAction implements RunAction2 {
  private final String name;
  private ApprovalRequest request;
  private boolean waiting = true;
  private transient Run<?, ?> run;

  DivisionApprovalAction(ApprovalRequest request) {
    this.name = request.name();
    this.request = request;
  }

  static DivisionApprovalAction find(Run<?, ?> run, String name) {
    List<DivisionApprovalAction> actions = run.getActions(DivisionApprovalAction.class);
    for (DivisionApprovalAction a : actions) if (a.name.equals(name)) return a;
    return null;
  }

  synchronized void reopen(ApprovalRequest again) {
    request = again;
    waiting = true;
  }

  synchronized void close() {
    waiting = false;
  }

  public synchronized boolean isWaiting() {
    return waiting;
  }

  public String getName() {
    return name;
  }

  @Override
  public String getIconFileName() {
    return "symbol-person";
  }

  @Override
  public String getDisplayName() {
    return "Approval " + name;
  }

  @Override
  public String getUrlName() {
    return "division-approval-" + name;
  }

  @Override
  public void onAttached(Run<?, ?> r) {
    run = r;
  }

  @Override
  public void onLoad(Run<?, ?> r) {
    run = r;
  }

  private synchronized ApprovalRequest request() {
    return request;
  }

  private Connection connect() throws Exception {
    return StepRuntime.current().connect(request().store(), run);
  }

  private ResourceKey key(Connection c) {
    return new ResourceKey(BuiltinKinds.APPROVAL, c.namespace(), name);
  }

  public Run<?, ?> getRun() {
    return run;
  }

  /**
   * What the page shows, read from the store now: {@code found}, {@code phase}, {@code requester},
   * {@code reason}, {@code decidedBy}, {@code message}, {@code approvers}, {@code spec} (YAML) and
   * {@code namespace} (for the {@code div approve} line).
   */
  public Map<String, String> getSummary() throws Exception {
    Connection c = connect();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("namespace", c.namespace());
    Resource r = c.division().store().find(key(c)).orElse(null);
    out.put("found", String.valueOf(r != null));
    if (r == null) return out;
    // Judged as the waiting step judges it (its decisions, the step's allowed signers), never
    // taken from a status.phase any store writer can set.
    Resource judged =
        Approvals.effective(r, StepRuntime.current().clock().instant(), request().trust());
    String phase = judged.statusText("phase");
    out.put("phase", phase == null ? "Pending" : phase);
    out.put("requester", r.specText("requester"));
    out.put("reason", r.specText("reason"));
    if (phase != null && !phase.equals("Pending")) {
      String by = r.statusText("approvedBy");
      out.put("decidedBy", by != null ? by : r.statusText("rejectedBy"));
      out.put("message", r.statusText("message"));
    }
    out.put("approvers", String.join(", ", ApprovalPolicy.of(r).approvers()));
    out.put("approved", judged.statusText("approved"));
    List<String> notCounted = new java.util.ArrayList<>();
    if (judged.status() != null) {
      judged.status().path("verification").forEach(n -> notCounted.add(n.asText()));
    }
    out.put("notCounted", String.join("; ", notCounted));
    out.put("spec", r.spec() == null ? "" : Json.writeYaml(r.spec()));
    return out;
  }

  @RequirePOST
  public HttpResponse doApprove(@QueryParameter String message) throws Exception {
    return decide(true, message);
  }

  @RequirePOST
  public HttpResponse doReject(@QueryParameter String message) throws Exception {
    return decide(false, message);
  }

  private HttpResponse decide(boolean approve, String message) throws Exception {
    ApprovalRequest req = request();
    Permission permission = Permission.fromId(req.permissionOrDefault());
    if (permission == null) permission = Item.BUILD;
    User user = User.current();
    String userId = user == null ? null : user.getId();
    boolean allowed = user != null && run.getParent().hasPermission(permission);
    Set<String> groups = new TreeSet<>();
    if (user != null) {
      for (GrantedAuthority a : Jenkins.getAuthentication2().getAuthorities()) {
        // Every signed-in user holds "authenticated"; it names no group anyone listed.
        if (!"authenticated".equals(a.getAuthority())) groups.add(a.getAuthority());
      }
    }
    Connection c = connect();
    try {
      StepRuntime runtime = StepRuntime.current();
      ApprovalDecisions.decide(
          c.division().store(),
          key(c),
          new ApprovalDecisions.Decider(userId, groups, allowed, req.permissionOrDefault()),
          approve,
          message,
          runtime.signingKey(),
          runtime.clock());
    } catch (DivisionException e) {
      int status =
          switch (e.reason()) {
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FAILED, INTERNAL, UNAVAILABLE -> 500;
            default -> 400;
          };
      throw HttpResponses.errorWithoutStack(status, e.getMessage());
    }
    return HttpResponses.redirectToDot();
  }
}
