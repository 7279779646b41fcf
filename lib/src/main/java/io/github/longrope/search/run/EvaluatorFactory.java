package io.github.longrope.search.run;

import io.github.longrope.search.Evaluator;
import java.util.List;

/**
 * A search engine that lives in another module (the library cannot depend on it): found with {@link
 * java.util.ServiceLoader} by its {@link #name()} when {@code --engine NAME} asks for it, so that
 * {@code local} needs nothing more at run time. The {@code spark} module registers one in {@code
 * META-INF/services/io.github.longrope.search.run.EvaluatorFactory}.
 */
public interface EvaluatorFactory {
  /** The {@code --engine} name. */
  String name();

  /**
   * An evaluator whose workers build their fitness from {@code source} (on whatever JVM they run);
   * the caller closes it. Notes for the user go to {@code warnings}.
   */
  Evaluator open(SearchEngine engine, FitnessSource source, List<String> warnings);
}
