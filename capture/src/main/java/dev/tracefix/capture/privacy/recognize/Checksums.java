package dev.tracefix.capture.privacy.recognize;

import java.math.BigInteger;

/** Check digits and entropy that separate real identifiers from look-alike digit runs. */
public final class Checksums {
  private Checksums() {}

  /** Luhn mod-10 over the digits of {@code s} (other characters are skipped). */
  public static boolean luhn(CharSequence s) {
    int sum = 0;
    int count = 0;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (count % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      count++;
    }
    return count > 0 && sum % 10 == 0;
  }

  /** ISO 13616 mod-97 check of an IBAN without spaces. */
  public static boolean ibanMod97(String compact) {
    if (compact.length() < 15 || compact.length() > 34) {
      return false;
    }
    String rearranged = compact.substring(4) + compact.substring(0, 4);
    StringBuilder digits = new StringBuilder(rearranged.length() * 2);
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        digits.append(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }

  /** Shannon entropy in bits per character. */
  public static double entropy(CharSequence s) {
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double bits = 0;
    double n = s.length();
    for (int count : counts) {
      if (count > 0) {
        double p = count / n;
        bits -= p * (Math.log(p) / Math.log(2));
      }
    }
    if (other > 0) {
      double p = other / n;
      bits -= p * (Math.log(p) / Math.log(2));
    }
    return bits;
  }
}
