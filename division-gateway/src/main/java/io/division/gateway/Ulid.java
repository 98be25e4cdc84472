package io.division.gateway;

import io.division.core.DivisionException;
import java.time.Instant;

/**
 * ULIDs as Brigade v1 names builds (lowercase): 48 bits of milliseconds, 80 bits of entropy,
 * Crockford base32. The entropy is taken from a seed, so the same attempt always gets the same id
 * and a restarted gateway finds the build it already created.
 */
final class Ulid {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private Ulid() {}

  static String of(Instant time, byte[] seed) {
    if (seed.length < 10) throw DivisionException.invalid("a ULID needs 80 bits of entropy");
    long millis = time.toEpochMilli();
    if (millis < 0 || millis >= (1L << 48))
      throw DivisionException.invalid("time out of ULID range: " + time);
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 80 bits of entropy in 16 base32 characters, most significant first.
    long hi =
        ((seed[0] & 0xffL) << 32)
            | ((seed[1] & 0xffL) << 24)
            | ((seed[2] & 0xffL) << 16)
            | ((seed[3] & 0xffL) << 8)
            | (seed[4] & 0xffL);
    long lo =
        ((seed[5] & 0xffL) << 32)
            | ((seed[6] & 0xffL) << 24)
            | ((seed[7] & 0xffL) << 16)
            | ((seed[8] & 0xffL) << 8)
            | (seed[9] & 0xffL);
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    return new String(out);
  }
}
