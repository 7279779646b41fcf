package io.github.longrope.cli;

import picocli.CommandLine.Option;

/** {@code --no-torch}, shared by the benchmarks that measure the PyTorch reference beside Java. */
public final class NoTorchOption {
  @Option(names = "--no-torch")
  boolean noTorch;

  /** True when the PyTorch side runs. */
  boolean run() {
    return !noTorch;
  }
}
