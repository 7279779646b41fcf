package io.github.longrope.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;

/**
 * What a session holds, as JShell's {@code /vars}, {@code /imports}, {@code /methods} and {@code
 * /types} list it: active declarations only (a redefined variable appears once), JShell's own
 * {@code $N} temporaries left out.
 */
public final class SessionView {
  private static final int MAX_VALUE_CHARS = 80;

  private final JShell jshell;

  SessionView(JShell jshell) {
    this.jshell = jshell;
  }

  /** {@code {type, name, value}} per variable, in declaration order; values cut to 80 chars. */
  public List<String[]> variables() {
    List<String[]> out = new ArrayList<>();
    jshell
        .variables()
        .filter(v -> active(v) && !v.name().startsWith("$"))
        .forEach(v -> out.add(new String[] {v.typeName(), v.name(), value(v)}));
    return out;
  }

  /** {@code import java.util.*;}, … in order. */
  public List<String> imports() {
    return jshell.imports().filter(this::active).map(i -> i.source().strip()).toList();
  }

  /** {@code int half(int)}, … in order. */
  public List<String> methods() {
    List<String> out = new ArrayList<>();
    jshell.methods().filter(this::active).forEach(m -> out.add(describe(m)));
    return out;
  }

  /** {@code class Point}, {@code record Pair}, … in order. */
  public List<String> types() {
    List<String> out = new ArrayList<>();
    jshell.types().filter(this::active).forEach(t -> out.add(kind(t) + " " + t.name()));
    return out;
  }

  private boolean active(Snippet s) {
    return jshell.status(s).isActive() && jshell.status(s) != Snippet.Status.OVERWRITTEN;
  }

  private String value(VarSnippet v) {
    String value;
    try {
      value = jshell.varValue(v);
    } catch (RuntimeException e) {
      return "(unavailable)";
    }
    if (value == null) {
      return "null";
    }
    value = value.replace("\n", "⏎");
    return value.length() > MAX_VALUE_CHARS ? value.substring(0, MAX_VALUE_CHARS) + "…" : value;
  }

  /** "(int,String)long" → "long name(int, String)". */
  static String describe(MethodSnippet m) {
    String sig = m.signature();
    int close = sig.lastIndexOf(')');
    String params = sig.substring(sig.indexOf('(') + 1, close).replace(",", ", ");
    String returns = sig.substring(close + 1);
    return returns + " " + m.name() + "(" + params + ")";
  }

  private static String kind(TypeDeclSnippet t) {
    return switch (t.subKind()) {
      case INTERFACE_SUBKIND -> "interface";
      case ENUM_SUBKIND -> "enum";
      case ANNOTATION_TYPE_SUBKIND -> "@interface";
      case RECORD_SUBKIND -> "record";
      default -> "class";
    };
  }
}
