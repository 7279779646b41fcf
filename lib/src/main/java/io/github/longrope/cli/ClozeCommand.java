package io.github.longrope.cli;

import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.mc.ClozeBuilder;
import io.github.longrope.io.HfTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope cloze}: a held-out "true next sentence among 4" set in the HellaSwag layout. */
@Command(name = "cloze", mixinStandardHelpOptions = true)
public final class ClozeCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Mixin DocumentOptions docs;

  @Option(names = "--tokenizer", required = true, paramLabel = "FILE")
  Path tokenizerPath;

  @Option(names = "--out", required = true, paramLabel = "FILE")
  Path out;

  @Option(names = "--count", paramLabel = "N")
  int count = 200;

  @Mixin SeedOption seed = new SeedOption(1);

  @Option(names = "--context-sentences", paramLabel = "N")
  int contextSentences = 4;

  @Option(names = "--choices", paramLabel = "N")
  int choices = 4;

  /** What was written. */
  record Report(Path out, int items, int texts, long seed) {
    String text() {
      return String.format(
          Locale.ROOT, "wrote %s: %d items from %d texts (seed %d)%n", out, items, texts, seed);
    }
  }

  @Override
  public Integer call() {
    ClozeBuilder builder = new ClozeBuilder(count, seed.value(), contextSentences, choices);
    List<String> texts = new ArrayList<>();
    try (HfTokenizer tok = HfTokenizer.load(tokenizerPath)) {
      Documents d = DocumentSources.open(docs.data, () -> tok, docs.field);
      for (int i = 0; i < d.size(); i++) {
        texts.add(tok.decode(d.document(i)));
      }
    }
    List<ClozeBuilder.Cloze> items = builder.build(texts);
    ClozeBuilder.write(items, out);
    Report r = new Report(out, items.size(), texts.size(), seed.value());
    return json.report(r, r::text);
  }
}
