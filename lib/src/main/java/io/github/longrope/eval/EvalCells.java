package io.github.longrope.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Fingerprint;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The perplexity record of an evaluation plan: {@code OUTPUT/cells.jsonl}, one line per finished
 * (setting, data set, length) cell, so that an evaluation killed after hours resumes with the cells
 * it had (an eval's perplexity section is most of its time). Beside it, {@code cells-inputs.json}
 * says what the cells were computed from: the plan (without {@code output} and {@code threads},
 * which do not change a number) and the content fingerprints of every setting's model and every
 * data set. A run whose inputs are not those exactly discards the record and computes every cell
 * again, with a warning: cells of two plans, two checkpoints or two data files are never mixed in
 * one table.
 */
final class EvalCells {
  private EvalCells() {}

  static final String CELLS = "cells.jsonl";
  static final String INPUTS = "cells-inputs.json";

  /**
   * The cells file to resume from and append to, or null when the plan has no perplexity section.
   * Writes {@link #INPUTS} and, when a record from other inputs is there, deletes it.
   */
  static Path open(EvalConfig plan, List<EvalSuite.Resolved> settings, List<String> warnings) {
    if (plan.perplexity() == null) {
      return null;
    }
    Path out = Path.of(plan.output());
    Path cells = out.resolve(CELLS);
    Path inputs = out.resolve(INPUTS);
    String stamp = Json.write(inputs(plan, settings));
    try {
      if (Files.exists(cells)) {
        String was = Files.exists(inputs) ? Files.readString(inputs) : "";
        if (stamp.equals(was)) {
          warnings.add(
              "resuming: perplexity cells finished by an earlier run of this plan are read from "
                  + cells);
        } else {
          Files.delete(cells);
          warnings.add(
              cells
                  + " was recorded for another plan, model or data ("
                  + inputs
                  + " differs); every perplexity cell is computed again");
        }
      }
      AtomicFiles.writeString(inputs, stamp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + cells + ": " + e.getMessage(), e);
    }
    return cells;
  }

  /** The plan less its runtime keys, and the fingerprints of the models and data sets. */
  static ObjectNode inputs(EvalConfig plan, List<EvalSuite.Resolved> settings) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ObjectNode p = Json.parseObject(plan.toJson(), "evaluation plan");
    p.remove(List.of("output", "threads"));
    o.set("plan", p);
    ObjectNode models = o.putObject("models");
    for (EvalSuite.Resolved r : settings) {
      models.put(r.name(), Fingerprint.model(r.dir()));
    }
    ObjectNode data = o.putObject("data");
    for (EvalConfig.Dataset d : plan.perplexity().datasets()) {
      data.put(d.name(), DocumentSources.fingerprint(Path.of(d.data())));
    }
    return o;
  }
}
