package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The help text lives in {@code Messages.properties}, found by key rather than next to the option:
 * a renamed option or a mistyped key would leave an empty description silently. So every command
 * and every option or parameter of every command must have a description, and every key in the
 * bundle must be one that some command looks up (no stale text).
 */
class HelpTextTest {
  private static List<CommandSpec> all(CommandLine cl) {
    List<CommandSpec> out = new ArrayList<>();
    out.add(cl.getCommandSpec());
    cl.getSubcommands().values().forEach(sub -> out.addAll(all(sub)));
    return out;
  }

  @Test
  void everyCommandAndOptionHasHelpText() {
    List<String> missing = new ArrayList<>();
    for (CommandSpec c : all(Main.commandLine())) {
      if (String.join("", c.usageMessage().description()).isBlank()) {
        missing.add(c.qualifiedName());
      }
      for (ArgSpec a : c.args()) {
        if (!a.hidden() && String.join("", a.description()).isBlank()) {
          missing.add(
              c.qualifiedName()
                  + " "
                  + (a instanceof OptionSpec o ? o.longestName() : a.paramLabel()));
        }
      }
    }
    assertEquals(List.of(), missing, "no help text in Messages.properties");
  }

  @Test
  void everyBundleKeyIsLookedUp() {
    Set<String> wanted = new HashSet<>();
    for (CommandSpec c : all(Main.commandLine())) {
      String q = c.qualifiedName(".") + ".";
      wanted.add(q + "usage.description");
      for (ArgSpec a : c.args()) {
        for (String key : keys(a)) {
          wanted.add(key);
          wanted.add(q + key);
        }
      }
    }
    ResourceBundle rb = ResourceBundle.getBundle("io.github.longrope.cli.Messages");
    List<String> stale = new ArrayList<>();
    for (String key : rb.keySet()) {
      if (!wanted.contains(key.replaceFirst("\\.\\d+$", ""))) {
        stale.add(key);
      }
    }
    assertEquals(List.of(), stale, "keys no option or command reads");
    assertTrue(rb.getString("longrope.usage.description").startsWith("LongRoPE workbench"));
  }

  /** The keys picocli tries for an argument with no descriptionKey. */
  private static List<String> keys(ArgSpec a) {
    List<String> keys = new ArrayList<>();
    if (a instanceof OptionSpec o) {
      for (String name : o.names()) {
        keys.add(name.replaceFirst("^-+", ""));
      }
    } else {
      PositionalParamSpec p = (PositionalParamSpec) a;
      keys.add(p.paramLabel() + "[" + p.index() + "]");
    }
    return keys;
  }
}
