package io.github.longrope.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, declared once; each command gives its own default ({@code @Mixin SeedOption seed
 * = new SeedOption(42)}), which picocli keeps as the field's initial value and shows in the help.
 */
public final class SeedOption {
  @Option(names = "--seed", paramLabel = "S")
  long seed;

  /** For picocli; commands construct theirs with a default. */
  SeedOption() {}

  SeedOption(long defaultSeed) {
    this.seed = defaultSeed;
  }

  long value() {
    return seed;
  }
}
