package io.github.longrope.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.github.longrope.io.Json;
import java.io.IOException;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A table as a JSON array of row objects (column name → value): numbers as numbers (integral
 * columns as integers), booleans as booleans, missing values as {@code null}, the rest as strings.
 */
public final class TableJson {
  private TableJson() {}

  /**
   * For a {@code Table} component of a record serialised by Jackson: {@code @JsonSerialize(using =
   * TableJson.Serializer.class)} writes {@link #rows}.
   */
  public static final class Serializer extends StdSerializer<Table> {
    private static final long serialVersionUID = 1L;

    public Serializer() {
      super(Table.class);
    }

    @Override
    public void serialize(Table t, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeTree(rows(t));
    }
  }

  public static ArrayNode rows(Table t) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (int r = 0; r < t.rowCount(); r++) {
      ObjectNode o = out.addObject();
      for (Column<?> c : t.columns()) {
        String name = c.name();
        if (c.isMissing(r)) {
          o.putNull(name);
        } else if (c instanceof BooleanColumn b) {
          o.put(name, b.get(r));
        } else if (c instanceof NumericColumn<?> n) {
          String type = n.type().name();
          if (type.equals("INTEGER") || type.equals("LONG") || type.equals("SHORT")) {
            o.put(name, (long) n.getDouble(r));
          } else {
            o.put(name, n.getDouble(r));
          }
        } else {
          o.put(name, c.getString(r));
        }
      }
    }
    return out;
  }
}
