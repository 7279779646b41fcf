package io.github.longrope.search;

import java.util.Arrays;
import java.util.Comparator;
import java.util.random.RandomGenerator;

/**
 * The covariance matrix adaptation evolution strategy (CMA-ES; Hansen, "The CMA Evolution Strategy:
 * A Tutorial", arXiv 1604.00772, with the default parameters of its pure-Python reference {@code
 * purecma}) as an ask/tell object on plain {@code double[]}: {@link #ask()} draws λ points, {@link
 * #tell} ranks them and moves the mean, step size and covariance. Minimises; deterministic for a
 * given random source.
 *
 * <p>A library would do (Apache Commons Math has one), but its optimizer owns the loop and calls
 * the objective itself, which cannot feed a batch to an {@link Evaluator}, replay a resumed run
 * from a cache, or race candidates; the update is thirty lines.
 */
final class CmaEvolutionStrategy {
  private final int n;
  private final int lambda;
  private final int mu;
  private final double[] weights;
  private final double mueff;
  private final double cc;
  private final double cs;
  private final double c1;
  private final double cmu;
  private final double damps;
  private final double chiN;
  private final RandomGenerator rng;

  private final double[] mean;
  private double sigma;
  private final double[][] c;
  private final double[] pc;
  private final double[] ps;
  private double[][] b; // eigenvectors of C, as columns
  private double[] d; // square roots of its eigenvalues
  private int generation;

  CmaEvolutionStrategy(double[] mean, double sigma, int lambda, RandomGenerator rng) {
    this.n = mean.length;
    if (n < 1 || lambda < 2 || !(sigma > 0)) {
      throw new IllegalArgumentException("CMA-ES needs n >= 1, lambda >= 2, sigma > 0");
    }
    this.lambda = lambda;
    this.mu = lambda / 2;
    this.rng = rng;
    double[] w = new double[mu];
    double sum = 0;
    for (int i = 0; i < mu; i++) {
      w[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
      sum += w[i];
    }
    double sq = 0;
    for (int i = 0; i < mu; i++) {
      w[i] /= sum;
      sq += w[i] * w[i];
    }
    this.weights = w;
    this.mueff = 1 / sq;
    this.cc = (4 + mueff / n) / (n + 4 + 2 * mueff / n);
    this.cs = (mueff + 2) / (n + mueff + 5);
    this.c1 = 2 / ((n + 1.3) * (n + 1.3) + mueff);
    this.cmu = Math.min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((n + 2) * (n + 2) + mueff));
    this.damps = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + cs;
    this.chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
    this.mean = mean.clone();
    this.sigma = sigma;
    this.c = new double[n][n];
    this.b = new double[n][n];
    this.d = new double[n];
    for (int i = 0; i < n; i++) {
      c[i][i] = 1;
      b[i][i] = 1;
      d[i] = 1;
    }
    this.pc = new double[n];
    this.ps = new double[n];
  }

  int lambda() {
    return lambda;
  }

  int mu() {
    return mu;
  }

  double sigma() {
    return sigma;
  }

  double[] mean() {
    return mean.clone();
  }

  /** λ new points m + σ·B·D·z, z standard normal. */
  double[][] ask() {
    double[][] out = new double[lambda][n];
    for (int k = 0; k < lambda; k++) {
      double[] z = new double[n];
      for (int i = 0; i < n; i++) {
        z[i] = d[i] * rng.nextGaussian();
      }
      for (int i = 0; i < n; i++) {
        double v = 0;
        for (int j = 0; j < n; j++) {
          v += b[i][j] * z[j];
        }
        out[k][i] = mean[i] + sigma * v;
      }
    }
    return out;
  }

  /**
   * Updates from the points of the last {@link #ask()} and their values (lower is better; ties keep
   * the order given). Only the best μ points move the distribution.
   */
  void tell(double[][] xs, double[] values) {
    Integer[] order = new Integer[xs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] old = mean.clone();
    Arrays.fill(mean, 0);
    for (int k = 0; k < mu; k++) {
      for (int i = 0; i < n; i++) {
        mean[i] += weights[k] * xs[order[k]][i];
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = (mean[i] - old[i]) / sigma;
    }
    // C^{-1/2} y = B D^{-1} Bᵀ y
    double[] bty = new double[n];
    for (int j = 0; j < n; j++) {
      double v = 0;
      for (int i = 0; i < n; i++) {
        v += b[i][j] * y[i];
      }
      bty[j] = v / d[j];
    }
    double csn = Math.sqrt(cs * (2 - cs) * mueff);
    double psNorm = 0;
    for (int i = 0; i < n; i++) {
      double v = 0;
      for (int j = 0; j < n; j++) {
        v += b[i][j] * bty[j];
      }
      ps[i] = (1 - cs) * ps[i] + csn * v;
      psNorm += ps[i] * ps[i];
    }
    psNorm = Math.sqrt(psNorm);
    generation++;
    boolean hsig =
        psNorm / Math.sqrt(1 - Math.pow(1 - cs, 2.0 * generation)) / chiN < 1.4 + 2.0 / (n + 1);
    double ccn = Math.sqrt(cc * (2 - cc) * mueff);
    for (int i = 0; i < n; i++) {
      pc[i] = (1 - cc) * pc[i] + (hsig ? ccn * y[i] : 0);
    }
    double c1a = c1 * (1 - (hsig ? 0 : cc * (2 - cc)));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double rankMu = 0;
        for (int k = 0; k < mu; k++) {
          double[] x = xs[order[k]];
          rankMu += weights[k] * (x[i] - old[i]) * (x[j] - old[j]) / (sigma * sigma);
        }
        double v = (1 - c1a - cmu) * c[i][j] + c1 * pc[i] * pc[j] + cmu * rankMu;
        c[i][j] = v;
        c[j][i] = v;
      }
    }
    sigma *= Math.exp(Math.min(1, (cs / damps) * (psNorm / chiN - 1)));
    decompose();
  }

  /** B and D from C by cyclic Jacobi rotations (n is d/2, a few dozen). */
  private void decompose() {
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = c[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-30) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double cos = 1 / Math.sqrt(t * t + 1);
          double sin = t * cos;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = cos * akp - sin * akq;
            a[k][q] = sin * akp + cos * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = cos * apk - sin * aqk;
            a[q][k] = sin * apk + cos * aqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = cos * vkp - sin * vkq;
            v[k][q] = sin * vkp + cos * vkq;
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      d[i] = Math.sqrt(Math.max(a[i][i], 1e-20));
    }
    b = v;
  }
}
