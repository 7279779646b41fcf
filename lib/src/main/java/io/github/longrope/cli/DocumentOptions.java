package io.github.longrope.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The documents a command reads, declared once: {@code --data} in any form {@code
 * DocumentSources.open} accepts and {@code --field} for {@code .jsonl} ({@code ppl}, {@code
 * cloze}).
 */
public final class DocumentOptions {
  @Option(names = "--data", required = true, paramLabel = "PATH")
  Path data;

  @Option(names = "--field", paramLabel = "NAME")
  String field = "text";
}
