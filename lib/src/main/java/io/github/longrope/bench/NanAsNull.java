package io.github.longrope.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a NaN measurement (a side that did not run, e.g. {@code --no-torch}) as JSON {@code null}:
 * Jackson would write the string {@code "NaN"}, which readers of the rows take for a number.
 */
final class NanAsNull extends StdSerializer<Double> {
  private static final long serialVersionUID = 1L;

  NanAsNull() {
    super(Double.class);
  }

  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    if (value.isNaN()) {
      gen.writeNull();
    } else {
      gen.writeNumber(value);
    }
  }
}
