package io.division.core.store.dynamodb;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records each DynamoDB call as the IAM action and table it is authorized against ("PutItem
 * div.Approval.ns.default"): a transaction is authorized per item, by the item's own action.
 */
final class CallRecorder implements ExecutionInterceptor {
  final Set<String> calls = ConcurrentHashMap.newKeySet();
  final List<String> operations = new CopyOnWriteArrayList<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    operations.add(operation);
    if (request instanceof TransactWriteItemsRequest t) {
      for (TransactWriteItem item : t.transactItems()) {
        if (item.put() != null) calls.add("PutItem " + item.put().tableName());
        if (item.update() != null) calls.add("UpdateItem " + item.update().tableName());
        if (item.delete() != null) calls.add("DeleteItem " + item.delete().tableName());
        if (item.conditionCheck() != null)
          calls.add("ConditionCheckItem " + item.conditionCheck().tableName());
      }
    } else if (request instanceof BatchWriteItemRequest b) {
      b.requestItems().keySet().forEach(table -> calls.add("BatchWriteItem " + table));
    } else {
      String table = request.getValueForField("TableName", String.class).orElse("*");
      calls.add(operation + " " + table);
    }
  }

  void clear() {
    calls.clear();
    operations.clear();
  }
}
