package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.SearchResult;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stages 1, 3 and 4: each is a {@link SearchJob} whose run folder is the stage folder, so an
 * interrupted stage resumes from its history (no candidate is evaluated twice). They differ only in
 * the model searched and the {@link RopeTarget.Mode}: stage 1 searches λ1 on the base model (long),
 * stage 3 searches λ2 on the fine-tuned model with λ1 fixed underneath (relative; saved as λ2 ⊙ λ1,
 * attention scale from s relative to the ORIGINAL L), stage 4 searches the short set on the
 * extended model with the long set fixed (short).
 */
final class SearchStages {
  private SearchStages() {}

  /** The extended model of stage 3 (fine-tuned weights, λ2 ⊙ λ1, the extended context). */
  static final String MODEL = "model";

  /** Runs (or resumes) one search stage on {@code model}; returns the marker's outputs. */
  static ObjectNode run(
      Stage stage,
      SearchStageSpec s,
      PipelineConfig config,
      Path model,
      Path run,
      Path dir,
      SearchEngine engine,
      boolean restartChanged,
      Pipeline.Listener listener) {
    RopeTarget.Mode mode =
        switch (stage) {
          case SEARCH_LONG -> RopeTarget.Mode.LONG;
          case SEARCH_RELATIVE -> RopeTarget.Mode.RELATIVE;
          case SEARCH_SHORT -> RopeTarget.Mode.SHORT;
          default -> throw new IllegalArgumentException(stage + " is not a search stage");
        };
    SearchConfig search = s.searchConfig();
    List<String> warnings = new ArrayList<>();
    double[] init =
        search.initFile() == null
            ? null
            : SearchJob.readInitFile(Path.of(search.initFile()), warnings);
    SearchSpec spec =
        SearchSpec.builder(
                model,
                Path.of(s.data() != null ? s.data() : config.data().search()),
                s.targetLength(),
                search)
            .field(config.data().field())
            .mode(mode)
            .fitness(
                s.fitness().equals("needle")
                    ? SearchSpec.FitnessKind.NEEDLE
                    : SearchSpec.FitnessKind.PPL)
            .samples(s.samples())
            .minTokens(s.minTokens())
            .truncate(s.truncate())
            .splitDocuments(s.splitDocuments())
            .magnitude(s.magnitude())
            .initFactors(init)
            .precision(config.precision())
            .build();
    boolean resume = Files.isRegularFile(dir.resolve(RunRecord.CONFIG));
    if (resume) {
      listener.message(stage.label() + ": resuming " + dir);
    }
    SearchJob.Outcome o;
    try {
      o = search(spec, dir, resume, engine, stage, listener);
    } catch (RunRecord.SettingsChanged e) {
      if (!restartChanged) {
        throw e;
      }
      // a folder its owner re-runs (the quickstart's output): a record from other settings
      // (another model or data, an edited config) is replaced, never an error
      listener.message(
          stage.label()
              + ": "
              + dir
              + " was made with other settings ("
              + e.difference()
              + "); starting over");
      Path inputs = dir.resolve(Pipeline.INPUTS);
      String kept = Files.isRegularFile(inputs) ? Json.readObject(inputs).toString() : null;
      AtomicFiles.deleteTree(dir);
      if (kept != null) {
        AtomicFiles.writeString(inputs, Json.write(Json.parseObject(kept, Pipeline.INPUTS)));
      }
      o = search(spec, dir, false, engine, stage, listener);
    }
    SearchResult r = o.result();
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("search", Pipeline.relative(run, dir));
    out.put("factors_file", Pipeline.relative(run, dir.resolve("final/result_final.csv")));
    out.put("target_length", s.targetLength());
    out.put("fitness", r.fitness());
    out.put("scale", r.scale());
    out.put("start_tokens", r.best().startTokens());
    out.put("evaluations", r.evaluations());
    ObjectNode seeds = out.putObject("seed_fitness");
    r.seeds().forEach(x -> seeds.put(x.name(), x.fitness()));
    out.set("searched", Json.array(r.best().factors()));
    out.set("factors", Json.array(r.factors().row(0)));
    out.set("rope_scaling", o.ropeScaling());
    out.set("engine", o.engine()); // where this session evaluated (runtime, not compared)
    warnings.addAll(o.warnings());
    warnings.forEach(out.putArray("warnings")::add);
    if (stage == Stage.SEARCH_RELATIVE) {
      Path extended = dir.resolve(MODEL);
      writeExtended(model, extended, o.ropeScaling(), s.targetLength());
      out.put(MODEL, Pipeline.relative(run, extended));
    }
    return out;
  }

  private static SearchJob.Outcome search(
      SearchSpec spec,
      Path dir,
      boolean resume,
      SearchEngine engine,
      Stage stage,
      Pipeline.Listener listener) {
    return SearchJob.run(
        spec,
        dir,
        resume,
        false,
        engine,
        engine.decoders(null), // one per --devices entry, else one
        Pipeline.ATTENTION_CHUNK,
        listener.search(stage));
  }

  /**
   * The fine-tuned weights under the stage 3 factors with {@code max_position_embeddings} = L′: the
   * model stage 4 searches short factors on (SHORT mode needs a static longrope checkpoint).
   */
  static void writeExtended(Path fineTuned, Path out, ObjectNode ropeScaling, int maxPosition) {
    ModelConfig c = HfModelConfig.read(fineTuned).config();
    RopeScaling rope = HfRopeConfig.parseScaling(ropeScaling, c.rope().pairs(), "stage 3");
    ModelConfig extended = c.withRope(rope).toBuilder().maxPositionEmbeddings(maxPosition).build();
    HfModel.export(fineTuned, out, extended, SafetensorsFile.Dtype.F32);
  }
}
