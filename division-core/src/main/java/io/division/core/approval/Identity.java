package io.division.core.approval;

import java.util.Set;

/**
 * Who decides, and how strongly we know it: {@code aws} (the caller as AWS sees it, from STS
 * GetCallerIdentity), {@code os} (the operating-system user of a process writing the embedded
 * store), {@code jenkins} (the Jenkins user id of a signed-in user), or {@code declared} (a name
 * the decider gave, accepted only where the approval's policy allows it).
 */
public record Identity(String name, Source source, Set<String> groups) {
  public enum Source {
    AWS,
    OS,
    JENKINS,
    DECLARED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Identity {
    if (name == null || name.isBlank())
      throw io.division.core.DivisionException.invalid("who decides must be known");
    groups = groups == null ? Set.of() : Set.copyOf(groups);
  }

  public static Identity os() {
    return new Identity(System.getProperty("user.name"), Source.OS, Set.of());
  }

  public static Identity declared(String name) {
    return new Identity(name, Source.DECLARED, Set.of());
  }

  public static Identity jenkins(String userId, Set<String> groups) {
    return new Identity(userId, Source.JENKINS, groups);
  }
}
