package io.division.core.manifest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.division.core.model.Json;
import java.io.IOException;

/**
 * A YAML parser that refuses aliases ({@code *name}). Jackson's YAML tree reading does not resolve
 * them: {@code copy: *base} would be stored as the string {@code "base"}, whatever base was. Rather
 * than store something the author did not write, or expand aliases without bound (an alias bomb
 * grows exponentially), a manifest with an alias is an error that names where it is; anchors alone
 * ({@code &name}) are harmless and read as the value they mark.
 */
public final class AliasFreeYamlParser extends JsonParserDelegate {
  private final YAMLParser yaml;

  private AliasFreeYamlParser(YAMLParser yaml) {
    super(yaml);
    this.yaml = yaml;
  }

  /** A parser over {@code text} with {@code Json.yaml()}'s settings, failing at the first alias. */
  public static JsonParser open(String text) throws IOException {
    return new AliasFreeYamlParser((YAMLParser) Json.yamlParser(text));
  }

  @Override
  public JsonToken nextToken() throws IOException {
    return check(super.nextToken());
  }

  @Override
  public JsonToken nextValue() throws IOException {
    return check(super.nextValue());
  }

  @Override
  public String nextFieldName() throws IOException {
    String name = super.nextFieldName();
    check(currentToken());
    return name;
  }

  @Override
  public String nextTextValue() throws IOException {
    return check(nextToken()) == JsonToken.VALUE_STRING ? getText() : null;
  }

  @Override
  public int nextIntValue(int defaultValue) throws IOException {
    return check(nextToken()) == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
  }

  @Override
  public long nextLongValue(long defaultValue) throws IOException {
    return check(nextToken()) == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
  }

  @Override
  public Boolean nextBooleanValue() throws IOException {
    JsonToken t = check(nextToken());
    return t == JsonToken.VALUE_TRUE
        ? Boolean.TRUE
        : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
  }

  private JsonToken check(JsonToken token) throws IOException {
    if (token != null && yaml.isCurrentAlias()) {
      throw new JsonParseException(
          this,
          "YAML aliases are not supported (*" + yaml.getText() + "): write the value out in full",
          yaml.currentTokenLocation());
    }
    return token;
  }
}
