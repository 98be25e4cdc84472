package io.division.core.store.dynamodb;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One in-memory DynamoDB Local for every test of a test run: started on first use, kept in the root
 * extension store and stopped when the run ends (the store closes what it holds). Starting it costs
 * about a second, so test classes share it and keep apart by table prefix.
 *
 * <pre>{@code
 * @ExtendWith(DynamoDbLocalExtension.class)
 * class SomeTest {
 *   static DynamoDbLocalServer server;
 *
 *   @BeforeAll
 *   static void server(DynamoDbLocalServer shared) { server = shared; }
 * }
 * }</pre>
 */
public final class DynamoDbLocalExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DynamoDbLocalExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DynamoDbLocalServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The run's server, started if this is the first test to ask. */
  public static DynamoDbLocalServer shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            DynamoDbLocalServer.class, k -> DynamoDbLocalServer.start(), DynamoDbLocalServer.class);
  }
}
