package dev.converge.core.internal.opset;

import java.math.BigDecimal;

/**
 * Formats doubles the way JavaScript's {@code JSON.stringify} does, for output JS tools compare.
 */
final class JsNumbers {
  private JsNumbers() {}

  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e21) {
      return value == 0 ? "0" : new BigDecimal(value).toPlainString();
    }
    String java = Double.toString(value);
    int exponent = java.indexOf('E');
    if (exponent < 0) {
      return java;
    }
    // Java writes 1.0E-7 where JavaScript writes 1e-7.
    String mantissa = java.substring(0, exponent);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    String power = java.substring(exponent + 1);
    double abs = Math.abs(value);
    if (abs >= 1e-6 && abs < 1e21) {
      return new BigDecimal(java).toPlainString();
    }
    return mantissa + "e" + (power.startsWith("-") ? power : "+" + power);
  }
}
