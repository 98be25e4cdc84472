package io.division.core.store.dynamodb;

import io.division.core.store.StoreException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into one-line {@link StoreException}s that name the DynamoDB action and the
 * table, so that a user can fix an IAM policy or a missing table without reading a stack trace.
 */
final class DynamoErrors {
  private static final Set<String> BAD_CREDENTIALS =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "ExpiredTokenException",
          "ExpiredToken",
          "MissingAuthenticationTokenException",
          "InvalidClientTokenId",
          "IncompleteSignatureException");
  private static final Set<String> THROTTLED =
      Set.of(
          "ProvisionedThroughputExceededException",
          "ThrottlingException",
          "RequestLimitExceeded",
          "LimitExceededException");

  private DynamoErrors() {}

  static StoreException translate(String action, String table, SdkException e) {
    String where = "dynamodb:" + action + " on table " + table;
    if (e instanceof AwsServiceException ase) {
      String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
      String message =
          oneLine(
              ase.awsErrorDetails() == null || ase.awsErrorDetails().errorMessage() == null
                  ? ase.getMessage()
                  : ase.awsErrorDetails().errorMessage());
      if (code == null) code = "";
      if (code.equals("AccessDeniedException") || code.equals("AccessDenied")) {
        return new StoreException(
            StoreException.Reason.FORBIDDEN,
            "access denied: "
                + where
                + " ("
                + message
                + "); `div gen iampolicy` prints the policy div needs",
            e);
      }
      if (BAD_CREDENTIALS.contains(code)) {
        return new StoreException(
            StoreException.Reason.FORBIDDEN,
            "AWS rejected the credentials for " + where + ": " + code + ": " + message,
            e);
      }
      if (code.equals("ResourceNotFoundException")) {
        return new StoreException(
            StoreException.Reason.UNAVAILABLE,
            "table " + table + " does not exist (" + where + ")",
            e);
      }
      if (THROTTLED.contains(code)) {
        return StoreException.unavailable(
            "throttled: " + where + " still throttled after retries: " + message, e);
      }
      if (code.equals("ValidationException")) {
        return new StoreException(StoreException.Reason.INVALID, where + ": " + message, e);
      }
      return StoreException.unavailable(
          where + " failed: " + (code.isEmpty() ? "" : code + ": ") + message, e);
    }
    String message = oneLine(e.getMessage());
    if (message.toLowerCase(java.util.Locale.ROOT).contains("credentials")) {
      return StoreException.unavailable(
          "no AWS credentials for "
              + where
              + ": set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an IAM"
              + " role (IRSA, instance profile) ("
              + shorten(message, 160)
              + ")",
          e);
    }
    return StoreException.unavailable(
        "cannot reach DynamoDB for " + where + ": " + shorten(message, 300), e);
  }

  static String oneLine(String s) {
    return io.division.core.model.Messages.oneLine(s);
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
