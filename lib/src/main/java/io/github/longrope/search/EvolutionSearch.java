package io.github.longrope.search;

import io.github.longrope.rope.FactorSeeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.random.RandomGenerator;

/**
 * The LongRoPE evolution search (docs/method.md, "Evolution search"): a pure loop over an {@link
 * Evaluator} and one seeded random source.
 *
 * <pre>{@code
 * SearchConfig config = SearchConfig.read(Path.of("configs/search/dim_mono.json"));
 * SearchProblem problem = new SearchProblem(RopeTarget.longFactors(L, s, new Su()), s, seeds, 0);
 * try (Evaluator ev = Evaluator.sequential(c -> perplexity(c));
 *     RunRecord run = RunRecord.open(dir, resolvedConfig, resume)) {
 *   SearchResult r = new EvolutionSearch(config, problem).run(ev, run, SearchListener.NONE);
 * }
 * }</pre>
 *
 * <ol>
 *   <li>(optional) auto-rescale: the seeds rescaled to s, s/2, s/4, … ≥ 1 are evaluated and the
 *       best scale becomes the search's (generation −1);
 *   <li>generation 0: the seeds, then mutations of them (round robin) up to the population size;
 *       with the n̂ search, every n̂ is tried on some of the best (docs/method.md, "Start-token
 *       search", step 1);
 *   <li>iterations 1…T: the best {@code parents} survive; {@code mutations} children of uniform
 *       random parents and {@code crossovers} children of two distinct random parents (the better
 *       one first; a failed crossover mutates it instead) are evaluated as one batch; with the n̂
 *       search, the top parents try every n̂ (ii) and each mutated child a sample of n̂ (iii), and
 *       an n̂ that beats its individual joins the population;
 *   <li>the best of the last population is the result.
 * </ol>
 *
 * <p>Every generated candidate enters the run's history and must be novel (not allclose to any
 * earlier one) and valid (monotone); a mutation that finds none in {@code max_mutation_tries} is
 * given up and counted. Fitness values are cached by candidate: each is computed once, and a
 * resumed run replays the whole search from its seed with the stored history as the cache, so its
 * result equals the uninterrupted run's (given a deterministic fitness).
 *
 * <p>Differences from upstream, all deliberate: inclusive grid bounds (T16), {@code dim_piece_mono}
 * mutates every dimension (upstream skips the last two), auto-rescale keeps the factors it tried
 * (upstream records the unscaled ones), bounded mutation retries (upstream can loop forever),
 * n̂-sweep and child evaluations share one batch per generation.
 */
public final class EvolutionSearch {
  private final SearchConfig config;
  private final SearchProblem problem;
  private final Algorithm algorithm;
  private final CmaesSearch cmaes;

  /**
   * The search of a config for a problem, checked: constructing one is how a caller validates a
   * config against its problem before any model runs ({@code SearchJob.plan}).
   */
  public EvolutionSearch(SearchConfig config, SearchProblem problem) {
    this.config = config;
    this.problem = problem;
    // cmaes is a loop of its own (CmaesSearch); every other algorithm is a pair of GA operators
    boolean cma = config.algorithm().equals("cmaes");
    this.algorithm = cma ? null : Algorithm.of(config, problem);
    this.cmaes = cma ? new CmaesSearch(config, problem) : null;
    if (config.autoRescale()) {
      if (problem.target().mode() != RopeTarget.Mode.LONG) {
        throw new IllegalArgumentException(
            "auto-rescale applies to the first (long-factor) search only, not to "
                + problem.target().mode().toString().toLowerCase(java.util.Locale.ROOT)
                + " factors");
      }
      if (!(problem.searchScale() > 1)) {
        throw new IllegalArgumentException(
            "auto-rescale needs a scale s > 1, got " + problem.searchScale());
      }
    }
  }

  public SearchConfig config() {
    return config;
  }

  public SearchProblem problem() {
    return problem;
  }

  /**
   * Runs (or, with a record holding history, resumes) the search.
   *
   * @param record the run directory, or null to keep everything in memory
   * @throws CancellationException when the thread is interrupted; the history stays consistent
   */
  public SearchResult run(Evaluator evaluator, RunRecord record, SearchListener listener) {
    if (cmaes != null) {
      return cmaes.run(evaluator, record, listener);
    }
    return new Run(evaluator, record, listener == null ? SearchListener.NONE : listener).run();
  }

  private record Individual(Genome genome, double fitness) {
    Candidate candidate() {
      return genome.candidate();
    }
  }

  /** An n̂ sweep: variants of one genome, resolved once the batch is evaluated. */
  private record Sweep(Genome base, List<Genome> variants) {}

  private static final Comparator<Individual> BY_FITNESS =
      Comparator.comparingDouble(Individual::fitness);

  private final class Run {
    final SearchLedger ledger;
    final SearchListener listener;
    final RandomGenerator rng = new SplittableRandom(config.seed());
    final CandidateSet history = new CandidateSet();
    final Racing racing = config.racingOrOff();
    final CandidateSet swept = new CandidateSet();
    final SearchConfig.StartTokens st = config.startTokens();
    final boolean searchStartTokens = st.search();
    final int generations = config.effectiveIterations();
    SearchSpace space;
    double scale;
    int generation;
    long skipped;

    Run(Evaluator evaluator, RunRecord record, SearchListener listener) {
      this.listener = listener;
      this.scale = problem.target().scale();
      this.space = SearchSpace.of(config, problem.pairs(), problem.searchScale());
      int sweep = Math.max(0, st.candidates().size() - 1);
      long perIteration = config.effectiveMutations() + config.effectiveCrossovers();
      long e = Math.max(config.effectivePopulation(), problem.seeds().size());
      e += generations * perIteration;
      if (searchStartTokens) {
        e += (long) st.initialTries() * sweep;
        e +=
            generations
                * ((long) st.parents() * sweep
                    + (long) config.effectiveMutations() * Math.min(st.mutationSamples(), sweep));
      }
      if (config.autoRescale()) {
        e +=
            (long) FactorSeeds.rescaleScales(problem.searchScale()).size() * problem.seeds().size();
      }
      this.ledger = new SearchLedger(evaluator, record, listener, generations, e);
    }

    SearchResult run() {
      try {
        return search();
      } catch (CancellationException e) {
        listener.searchStopped(ledger.progress());
        throw e;
      }
    }

    private SearchResult search() {
      List<Candidate> seeds = new ArrayList<>();
      for (InitialFactors.Seed s : problem.seeds()) {
        seeds.add(new Candidate(s.factors(), problem.startTokens(), scale));
      }
      List<SearchResult.ScaleTrial> trials = new ArrayList<>();
      if (config.autoRescale()) {
        seeds = autoRescale(seeds, trials);
      }

      // generation 0: seeds, then mutations of the seeds
      ledger.generation(generation = 0);
      Evaluator.checkCancelled();
      List<Genome> members = new ArrayList<>();
      List<Genome> seedGenomes = new ArrayList<>();
      List<String> seedNames = new ArrayList<>();
      for (int i = 0; i < seeds.size(); i++) {
        Genome g = algorithm.initial(seeds.get(i)); // the seed itself, or its projection
        if (members.stream().anyMatch(m -> m.candidate().closeTo(g.candidate()))) {
          continue; // two sources gave the same factors (e.g. pi and ntk at s = 1)
        }
        history.add(g.candidate());
        members.add(g);
        seedGenomes.add(g);
        seedNames.add(problem.seeds().get(i).name());
      }
      int failures = 0;
      for (int k = 0;
          members.size() < config.effectivePopulation() && failures < seedGenomes.size();
          k++) {
        Genome child = mutate(seedGenomes.get(k % seedGenomes.size()));
        if (child == null) {
          failures++;
        } else {
          failures = 0;
          members.add(child);
        }
      }
      listener.generationStarted(generation, generations, members.size());
      List<Individual> population = evaluate(members);
      List<SearchResult.SeedFitness> seedFitness = new ArrayList<>();
      for (int i = 0; i < seedGenomes.size(); i++) {
        seedFitness.add(new SearchResult.SeedFitness(seedNames.get(i), population.get(i).fitness));
      }
      if (searchStartTokens && st.initialTries() > 0) {
        population.addAll(initialSweeps(population));
      }
      listener.generationFinished(generation, ledger.progress());

      List<Double> bestPerIteration = new ArrayList<>();
      for (int it = 0; it < generations; it++) {
        List<Individual> parents = select(population);
        bestPerIteration.add(parents.get(0).fitness);
        ledger.writeIteration(it, problem.target(), parents.get(0).candidate());
        ledger.generation(generation = it + 1);
        Evaluator.checkCancelled();
        population = iterate(parents);
        listener.generationFinished(generation, ledger.progress());
      }
      List<Individual> last = select(population);
      Individual top = last.get(0);
      bestPerIteration.add(top.fitness);
      return ledger.finish(
          top.candidate(),
          top.fitness,
          problem.target().effective(top.candidate()),
          scale,
          bestPerIteration,
          seedFitness,
          trials,
          history.size(),
          skipped);
    }

    /**
     * Auto-rescale (docs/method.md, "Initial population"; T9): evaluate every seed at s, s/2, … ≥
     * 1; keep the best.
     */
    List<Candidate> autoRescale(List<Candidate> seeds, List<SearchResult.ScaleTrial> trials) {
      ledger.generation(generation = -1);
      double s = problem.searchScale();
      List<Double> scales = FactorSeeds.rescaleScales(s);
      List<Genome> batch = new ArrayList<>();
      for (double t : scales) {
        for (Candidate seed : seeds) {
          Candidate c =
              new Candidate(FactorSeeds.rescale(seed.factors(), s, t), seed.startTokens(), t);
          history.add(c);
          batch.add(Genome.of(c));
        }
      }
      listener.generationStarted(generation, generations, batch.size());
      List<Individual> evaluated = evaluate(batch);
      Individual bestTrial = null;
      for (int i = 0; i < evaluated.size(); i++) {
        Individual x = evaluated.get(i);
        trials.add(
            new SearchResult.ScaleTrial(
                x.candidate().scale(), problem.seeds().get(i % seeds.size()).name(), x.fitness));
        if (bestTrial == null || x.fitness < bestTrial.fitness) {
          bestTrial = x;
        }
      }
      double chosen = bestTrial.candidate().scale();
      scale = chosen;
      space = space.withScale(chosen, config);
      List<Candidate> out = new ArrayList<>();
      for (Candidate seed : seeds) {
        out.add(
            new Candidate(
                FactorSeeds.rescale(seed.factors(), s, chosen), seed.startTokens(), chosen));
      }
      listener.generationFinished(generation, ledger.progress());
      return out;
    }

    List<Individual> iterate(List<Individual> parents) {
      List<Genome> batch = new ArrayList<>();
      List<Sweep> sweeps = new ArrayList<>();
      List<Genome> children = new ArrayList<>();
      if (searchStartTokens) {
        for (int i = 0; i < Math.min(st.parents(), parents.size()); i++) {
          Genome p = parents.get(i).genome;
          if (swept.add(p.candidate().withStartTokens(0))) {
            sweeps.add(sweep(p, st.candidates(), batch));
          }
        }
      }
      for (int m = 0; m < config.effectiveMutations(); m++) {
        Genome p = parents.get(rng.nextInt(parents.size())).genome;
        Genome child = mutate(p);
        if (child != null) {
          children.add(child);
          batch.add(child);
          if (searchStartTokens && st.mutationSamples() > 0) {
            sweeps.add(sweep(child, sample(child.candidate().startTokens()), batch));
          }
        }
      }
      for (int c = 0; c < config.effectiveCrossovers(); c++) {
        int size = parents.size();
        Genome child = null;
        Genome first;
        if (size >= 2) {
          int i1 = rng.nextInt(size);
          int i2 = rng.nextInt(size - 1);
          if (i2 >= i1) {
            i2++;
          }
          first = parents.get(Math.min(i1, i2)).genome;
          Genome second = parents.get(Math.max(i1, i2)).genome;
          child =
              algorithm.crossover(
                  first,
                  second,
                  space,
                  config.effectiveMaxCrossoverTries(),
                  searchStartTokens,
                  rng,
                  g -> !history.contains(g.candidate()));
          if (child != null) {
            history.add(child.candidate());
          }
        } else {
          first = parents.get(0).genome;
        }
        if (child == null) {
          child = mutate(first);
        }
        if (child != null) {
          children.add(child);
          batch.add(child);
        }
      }
      listener.generationStarted(generation, generations, batch.size());
      // racing: plain children only; a sweep's base and variants are compared with each other
      Racing.Race race = race(parents);
      CandidateSet sweepBases = new CandidateSet();
      sweeps.forEach(sw -> sweepBases.add(sw.base().candidate()));
      List<Racing.Race> races = new ArrayList<>();
      for (Genome g : batch) {
        boolean plainChild = children.contains(g) && !sweepBases.contains(g.candidate());
        races.add(plainChild ? race : Racing.Race.NONE);
      }
      evaluate(batch, races);
      List<Individual> population = new ArrayList<>(parents);
      for (Genome g : children) {
        population.add(new Individual(g, fitness(g.candidate())));
      }
      for (Sweep s : sweeps) {
        Individual better = resolve(s);
        if (better != null && !contains(population, better.candidate())) {
          population.add(better);
        }
      }
      return population;
    }

    /**
     * "Start-token search", step 1 (docs/method.md): after the initial population, every n̂ on
     * random picks among the best.
     */
    List<Individual> initialSweeps(List<Individual> population) {
      List<Individual> sorted = new ArrayList<>(population);
      sorted.sort(BY_FITNESS);
      List<Individual> pool =
          new ArrayList<>(sorted.subList(0, Math.min(st.initialPool(), sorted.size())));
      List<Genome> batch = new ArrayList<>();
      List<Sweep> sweeps = new ArrayList<>();
      for (int k = 0; k < Math.min(st.initialTries(), pool.size()); k++) {
        Individual pick = pool.remove(rng.nextInt(pool.size()));
        if (swept.add(pick.candidate().withStartTokens(0))) {
          sweeps.add(sweep(pick.genome, st.candidates(), batch));
        }
      }
      listener.generationStarted(generation, generations, batch.size());
      evaluate(batch);
      List<Individual> added = new ArrayList<>();
      for (Sweep s : sweeps) {
        Individual better = resolve(s);
        if (better != null
            && !contains(population, better.candidate())
            && !contains(added, better.candidate())) {
          added.add(better);
        }
      }
      return added;
    }

    /** The genome with n̂ replaced by each value; new variants join the batch. */
    Sweep sweep(Genome base, List<Integer> values, List<Genome> batch) {
      List<Genome> variants = new ArrayList<>();
      for (int n : values) {
        if (n == base.candidate().startTokens()) {
          continue;
        }
        Genome v = new Genome(base.candidate().withStartTokens(n), base.alpha(), base.beta());
        if (history.add(v.candidate())) {
          batch.add(v);
        }
        variants.add(v);
      }
      return new Sweep(base, variants);
    }

    /** The best variant of a sweep if it beats its base. */
    Individual resolve(Sweep s) {
      double baseFitness = fitness(s.base().candidate());
      Individual best = null;
      for (Genome v : s.variants()) {
        double f = fitness(v.candidate());
        if (f < baseFitness && (best == null || f < best.fitness)) {
          best = new Individual(v, f);
        }
      }
      return best;
    }

    /** {@code mutation_samples} n̂ values without replacement, other than {@code own}. */
    List<Integer> sample(int own) {
      List<Integer> pool = new ArrayList<>();
      for (int n : st.candidates()) {
        if (n != own) {
          pool.add(n);
        }
      }
      List<Integer> out = new ArrayList<>();
      for (int k = 0; k < st.mutationSamples() && !pool.isEmpty(); k++) {
        out.add(pool.remove(rng.nextInt(pool.size())));
      }
      return out;
    }

    /** A valid, novel mutation of {@code parent} (added to the history), or null. */
    Genome mutate(Genome parent) {
      for (int t = 0; t < config.maxMutationTries(); t++) {
        Genome g = algorithm.mutateOnce(parent, space, rng);
        if (algorithm.valid(g) && history.add(g.candidate())) {
          return g;
        }
      }
      skipped++;
      return null;
    }

    /**
     * The race of a child: the survival threshold is the worst parent's fitness when the parents
     * are full (a child at or above it ranks after every parent); with fewer parents than {@code
     * parents}, every child survives and none is raced.
     */
    Racing.Race race(List<Individual> parents) {
      if (parents.size() < config.effectiveParents()) {
        return Racing.Race.NONE;
      }
      List<double[]> parentLosses = new ArrayList<>();
      for (Individual p : parents) {
        double[] l = ledger.losses(p.candidate());
        if (l != null) {
          parentLosses.add(l);
        }
      }
      return racing.race(parents.get(parents.size() - 1).fitness, parentLosses);
    }

    /** Fitness of every genome (cached ones cost nothing), in order. */
    List<Individual> evaluate(List<Genome> genomes) {
      return evaluate(genomes, java.util.Collections.nCopies(genomes.size(), Racing.Race.NONE));
    }

    /**
     * Fitness of every genome under its race (cached ones cost nothing), in order; a rejected
     * candidate ranks by its bound.
     */
    List<Individual> evaluate(List<Genome> genomes, List<Racing.Race> races) {
      List<Candidate> batch = new ArrayList<>();
      for (Genome g : genomes) {
        batch.add(g.candidate());
      }
      double[] f = ledger.evaluate(batch, races);
      List<Individual> out = new ArrayList<>();
      for (int k = 0; k < genomes.size(); k++) {
        out.add(new Individual(genomes.get(k), f[k]));
      }
      return out;
    }

    double fitness(Candidate c) {
      return ledger.fitness(c);
    }
  }

  /** The best {@code parents} individuals, best first (ties keep population order). */
  private List<Individual> select(List<Individual> population) {
    List<Individual> sorted = new ArrayList<>(population);
    sorted.sort(BY_FITNESS);
    return new ArrayList<>(sorted.subList(0, Math.min(config.effectiveParents(), sorted.size())));
  }

  private static boolean contains(List<Individual> population, Candidate c) {
    for (Individual i : population) {
      if (i.candidate().closeTo(c)) {
        return true;
      }
    }
    return false;
  }
}
