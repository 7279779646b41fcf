package io.github.longrope.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The README and the manifest of a built dataset. Both are deterministic (no times, no absolute
 * paths), so a rebuild from the same packages rewrites them byte for byte.
 */
final class DatasetReadme {
  private DatasetReadme() {}

  static String markdown(DatasetBuilder.Result r) {
    Recipe recipe = r.recipe();
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(recipe.name()).append("\n\n");
    sb.append(recipe.description()).append("\n\n");
    sb.append("Written by `./longrope data prepare ")
        .append(recipe.name())
        .append("`, which also writes the token data (git-ignored): `data/SPLIT.bin` + ")
        .append("`data/SPLIT.idx` per split (int32 token ids, no BOS; read by `--data ")
        .append("datasets/")
        .append(recipe.name())
        .append("/data/SPLIT.bin`) and `data/manifest.json` (every document, its hashes).\n\n");
    sb.append("Tokenizer: `tokenizer.json` with sha256 `")
        .append(r.tokenizerSha256())
        .append("` (`datasets/tokenizer/`: a Mistral-7B-style 32k sentencepiece BPE vocabulary).")
        .append(" Total: ")
        .append(num(r.tokens()))
        .append(" tokens.\n\n");

    sb.append("## Splits\n\n");
    sb.append("No text is in two splits: a training text's first ")
        .append(percent(1 - recipe.holdout()))
        .append(" of tokens is in `train`, its last ")
        .append(percent(recipe.holdout()))
        .append(" (contiguous) in the held-out split; the build checks that no document's tokens")
        .append(" occur in two places.\n\n");
    sb.append("| split | role | documents | tokens |\n|---|---|---:|---:|\n");
    for (DatasetBuilder.SplitResult s : r.splits()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %s | %d | %s |%n",
              s.split().name(),
              s.split().role(),
              s.documents().size(),
              num(s.tokens())));
    }
    sb.append("\n| split | document | portion | tokens |\n|---|---|---|---:|\n");
    for (DatasetBuilder.SplitResult s : r.splits()) {
      for (int i = 0; i < s.documents().size(); i++) {
        DatasetBuilder.Document d = s.documents().get(i);
        sb.append(
            String.format(
                Locale.ROOT,
                "| `%s` #%d | %s | %s | %s |%n",
                s.split().name(),
                i,
                recipe.text(d.text()).title(),
                portion(d.portion(), recipe.holdout()),
                num(d.tokens())));
      }
    }

    sb.append("\n## Texts\n\n");
    sb.append("Each text is extracted from its package by Java code (no install) and must have")
        .append(" the pinned sha256 (of its UTF-8 bytes), or the build fails.\n\n");
    sb.append("| id | title | package | license | characters | tokens |\n")
        .append("|---|---|---|---|---:|---:|\n");
    for (DatasetBuilder.TextResult t : r.texts()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %s | %s %s | %s | %s | %s |%n",
              t.text().id(),
              t.text().title(),
              t.source().name(),
              t.source().version(),
              t.text().license(),
              num(t.chars()),
              num(t.tokens())));
    }
    sb.append("\n| id | extracted from (paths inside the package) | sha256 |\n|---|---|---|\n");
    for (DatasetBuilder.TextResult t : r.texts()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| `%s` | `%s` | `%s` |%n",
              t.text().id(),
              t.text().extraction().description(),
              t.sha256()));
    }

    sb.append("\n## Packages\n\n| package | version seen | licenses of the texts used |\n")
        .append("|---|---|---|\n");
    Map<String, String> licenses = new LinkedHashMap<>();
    for (DatasetBuilder.TextResult t : r.texts()) {
      licenses.merge(
          t.source().name(), t.text().license(), (a, b) -> a.contains(b) ? a : a + "; " + b);
    }
    for (DebianPackage p : r.packages()) {
      sb.append(
          String.format(
              Locale.ROOT, "| %s | %s | %s |%n", p.name(), p.version(), licenses.get(p.name())));
    }

    sb.append("\n## Rebuild\n\n```\n./longrope data prepare ")
        .append(recipe.name())
        .append("\n```\n\n")
        .append("Downloads the packages with `apt-get download` into `datasets/.cache/debs/`")
        .append(" (run `apt-get update` once first; no root needed for the download, nothing is")
        .append(" installed), extracts them with `dpkg-deb -x` into `datasets/.cache/pkgs/`,")
        .append(" writes the extracted texts to `datasets/.cache/text/`, then tokenizes.")
        .append(" Later builds use the cache and need no network; `--refresh` downloads again.")
        .append(" The pins are on the extracted texts, not on package versions: a Debian update")
        .append(" that changes a text fails the build with the text, expected and actual hash.\n");
    return sb.toString();
  }

  static String manifest(DatasetBuilder.Result r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("dataset", r.recipe().name());
    o.put("tokenizer_sha256", r.tokenizerSha256());
    o.put("holdout", r.recipe().holdout());
    ArrayNode pk = o.putArray("packages");
    for (DebianPackage p : r.packages()) {
      pk.addObject().put("name", p.name()).put("version", p.version());
    }
    ArrayNode texts = o.putArray("texts");
    for (DatasetBuilder.TextResult t : r.texts()) {
      texts
          .addObject()
          .put("id", t.text().id())
          .put("title", t.text().title())
          .put("package", t.source().name())
          .put("version", t.source().version())
          .put("license", t.text().license())
          .put("extraction", t.text().extraction().description())
          .put("chars", t.chars())
          .put("tokens", t.tokens())
          .put("sha256", t.sha256());
    }
    ObjectNode splits = o.putObject("splits");
    for (DatasetBuilder.SplitResult s : r.splits()) {
      ObjectNode so = splits.putObject(s.split().name());
      so.put("role", s.split().role());
      so.put("tokens", s.tokens());
      ArrayNode docs = so.putArray("documents");
      for (DatasetBuilder.Document d : s.documents()) {
        docs.addObject()
            .put("text", d.text())
            .put("portion", d.portion().name().toLowerCase(Locale.ROOT))
            .put("tokens", d.tokens())
            .put("tokens_sha256", d.tokenSha256());
      }
    }
    return Json.write(o);
  }

  private static String portion(Recipe.Portion p, double holdout) {
    return switch (p) {
      case WHOLE -> "whole";
      case HEAD -> "first " + percent(1 - holdout);
      case TAIL -> "last " + percent(holdout);
    };
  }

  private static String percent(double f) {
    return String.format(Locale.ROOT, "%.0f%%", f * 100);
  }

  static String num(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
