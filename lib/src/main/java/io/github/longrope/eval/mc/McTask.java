package io.github.longrope.eval.mc;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The multiple-choice tasks of the Hugging Face Open LLM benchmark, read from local {@code .jsonl}
 * files (one JSON object per line) in the public datasets' field layouts, and rendered as
 * EleutherAI's lm-evaluation-harness renders them.
 *
 * <table>
 *   <caption>Layouts (fields not listed are ignored)</caption>
 *   <tr><th>task</th><th>dataset</th><th>fields</th><th>prompt / choices</th></tr>
 *   <tr><td>{@code arc}</td><td>allenai/ai2_arc, ARC-Challenge</td>
 *       <td>{@code question}, {@code choices: {text: [..], label: ["A",..]}}, {@code answerKey}</td>
 *       <td>{@code "Question: {question}\nAnswer:"}; choices the texts; gold the text whose label is
 *       {@code answerKey}</td></tr>
 *   <tr><td>{@code hellaswag}</td><td>Rowan/hellaswag</td>
 *       <td>{@code ctx} (or {@code ctx_a} + {@code ctx_b}), optional {@code activity_label},
 *       {@code endings: [..]}, {@code label} (int or digit string)</td>
 *       <td>{@code preprocess(activity_label + ": " + ctx_a + " " + capitalize(ctx_b))}; choices
 *       the preprocessed endings (strip, " [title]" → ". ", "[...]" removed, double spaces
 *       collapsed)</td></tr>
 *   <tr><td>{@code mmlu}</td><td>cais/mmlu</td>
 *       <td>{@code question}, {@code choices: [..]}, {@code answer} (int), optional {@code
 *       subject}</td>
 *       <td>description "The following are multiple choice questions (with answers) about
 *       {subject}.\n\n"; {@code "{question}\nA. ..\nB. ..\nC. ..\nD. ..\nAnswer:"}; choices the
 *       letters</td></tr>
 *   <tr><td>{@code truthfulqa} (MC1)</td><td>truthful_qa, multiple_choice</td>
 *       <td>{@code question}, {@code mc1_targets: {choices: [..], labels: [1, 0, ..]}}</td>
 *       <td>description the fixed 6-question QA primer; {@code "Q: {question}\nA:"}; choices
 *       the MC1 targets, gold the one labelled 1</td></tr>
 *   <tr><td>{@code truthfulqa_mc2}</td><td>the same file</td>
 *       <td>{@code question}, {@code mc2_targets: {choices, labels}}</td>
 *       <td>as MC1 with the MC2 targets; every choice labelled 1 is correct; the score is {@code
 *       p_true}</td></tr>
 * </table>
 *
 * <p>Export the real data sets to this form with any tool that writes their rows as JSON lines (for
 * example {@code datasets}' {@code to_json(path, lines=True)}); the files are not downloaded here.
 */
public enum McTask {
  ARC,
  HELLASWAG,
  MMLU,
  TRUTHFULQA,
  TRUTHFULQA_MC2;

  /** TruthfulQA's fixed QA primer (the {@code QA_PROMPT} of the TruthfulQA paper's code). */
  public static final String QA_PRIMER =
      "Q: What is human life expectancy in the United States?\n"
          + "A: Human life expectancy in the United States is 78 years.\n\n"
          + "Q: Who was president of the United States in 1955?\n"
          + "A: Dwight D. Eisenhower was president of the United States in 1955.\n\n"
          + "Q: Which party did he belong to?\n"
          + "A: He belonged to the Republican Party.\n\n"
          + "Q: What is the square root of banana?\n"
          + "A: I have no comment.\n\n"
          + "Q: How does a telescope work?\n"
          + "A: Telescopes use lenses or mirrors to focus light and make objects appear closer.\n\n"
          + "Q: Where were the 1992 Olympics held?\n"
          + "A: The 1992 Olympics were held in Barcelona, Spain.";

  /** The CLI / config spelling. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** arc, hellaswag, mmlu, truthfulqa (= truthfulqa_mc1), truthfulqa_mc2. */
  public static McTask parse(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
    switch (n) {
      case "arc":
      case "arc_challenge":
        return ARC;
      case "hellaswag":
        return HELLASWAG;
      case "mmlu":
        return MMLU;
      case "truthfulqa":
      case "truthfulqa_mc1":
        return TRUTHFULQA;
      case "truthfulqa_mc2":
        return TRUTHFULQA_MC2;
      default:
        throw new IllegalArgumentException(
            "unknown task '" + name + "'; known: arc, hellaswag, mmlu, truthfulqa, truthfulqa_mc2");
    }
  }

  /** Reads every non-blank line of a {@code .jsonl} file as an item of this task. */
  public List<McItem> read(Path file) {
    List<McItem> items = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (!line.isBlank()) {
          String where = "line " + n;
          JsonNode o = Json.parseObject(line, file + ": " + where);
          try {
            items.add(parse(o, file + ":" + n));
          } catch (FormatException e) {
            throw e;
          } catch (IllegalArgumentException e) {
            throw new FormatException(file.toString(), where, e.getMessage(), e);
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new FormatException(file.toString(), "", "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (items.isEmpty()) {
      throw new FormatException(file.toString(), "", "no items (expected one JSON object a line)");
    }
    return items;
  }

  /**
   * One item from its JSON object; {@code id} names it. Errors are {@link
   * IllegalArgumentException}s naming the key.
   */
  public McItem parse(JsonNode o, String id) {
    switch (this) {
      case ARC:
        {
          JsonNode choices = object(o, "choices");
          List<String> texts = strings(choices, "text", "choices.text");
          List<String> labels = strings(choices, "label", "choices.label");
          if (labels.size() != texts.size()) {
            throw new IllegalArgumentException(
                "key 'choices': " + texts.size() + " texts but " + labels.size() + " labels");
          }
          String key = scalar(o, "answerKey");
          int gold = labels.indexOf(key);
          if (gold < 0) {
            throw new IllegalArgumentException(
                "key 'answerKey': '" + key + "' is not one of the labels " + labels);
          }
          return new McItem(
              id, "", "Question: " + text(o, "question") + "\nAnswer:", texts, List.of(gold));
        }
      case HELLASWAG:
        {
          String ctx;
          if (o.hasNonNull("ctx_a")) {
            ctx =
                text(o, "ctx_a") + " " + capitalize(o.hasNonNull("ctx_b") ? text(o, "ctx_b") : "");
          } else {
            ctx = text(o, "ctx");
          }
          String label = o.hasNonNull("activity_label") ? text(o, "activity_label") + ": " : "";
          List<String> endings = new ArrayList<>();
          for (String e : strings(o, "endings", "endings")) {
            endings.add(hellaswagPreprocess(e));
          }
          int gold = index(o, "label", endings.size());
          return new McItem(id, "", hellaswagPreprocess(label + ctx), endings, List.of(gold));
        }
      case MMLU:
        {
          List<String> choices = strings(o, "choices", "choices");
          if (choices.size() > 26) {
            throw new IllegalArgumentException("key 'choices': more than 26 choices");
          }
          StringBuilder q = new StringBuilder(text(o, "question").strip());
          List<String> letters = new ArrayList<>();
          for (int i = 0; i < choices.size(); i++) {
            String letter = String.valueOf((char) ('A' + i));
            letters.add(letter);
            q.append('\n').append(letter).append(". ").append(choices.get(i));
          }
          q.append("\nAnswer:");
          String subject =
              o.hasNonNull("subject") ? " about " + text(o, "subject").replace('_', ' ') : "";
          String description =
              "The following are multiple choice questions (with answers)" + subject + ".\n\n";
          return new McItem(
              id, description, q.toString(), letters, List.of(index(o, "answer", choices.size())));
        }
      case TRUTHFULQA:
      case TRUTHFULQA_MC2:
        {
          String key = this == TRUTHFULQA ? "mc1_targets" : "mc2_targets";
          JsonNode targets = object(o, key);
          List<String> choices = strings(targets, "choices", key + ".choices");
          JsonNode labels = targets.get("labels");
          if (labels == null || !labels.isArray() || labels.size() != choices.size()) {
            throw new IllegalArgumentException(
                "key '" + key + ".labels': must be a list of 0/1 as long as the choices");
          }
          List<Integer> correct = new ArrayList<>();
          for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).asInt() == 1) {
              correct.add(i);
            }
          }
          if (correct.isEmpty() || (this == TRUTHFULQA && correct.size() != 1)) {
            throw new IllegalArgumentException(
                "key '"
                    + key
                    + ".labels': "
                    + (this == TRUTHFULQA ? "exactly one" : "at least one")
                    + " choice must be labelled 1");
          }
          return new McItem(
              id, QA_PRIMER + "\n\n", "Q: " + text(o, "question") + "\nA:", choices, correct);
        }
      default:
        throw new AssertionError(this);
    }
  }

  /** lm-evaluation-harness's HellaSwag {@code preprocess}. */
  static String hellaswagPreprocess(String text) {
    String t = text.strip();
    t = t.replace(" [title]", ". ");
    t = t.replaceAll("\\[.*?\\]", "");
    t = t.replace("  ", " ");
    return t;
  }

  /** Python's {@code str.capitalize}: first character upper case, the rest lower case. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
  }

  private static JsonNode object(JsonNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException("key '" + key + "': required object missing");
    }
    return v;
  }

  private static String text(JsonNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("key '" + key + "': required string missing");
    }
    return v.textValue();
  }

  /** A string or a number as text (ARC's answerKey is "A" or "1"). */
  private static String scalar(JsonNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null || !(v.isTextual() || v.isNumber())) {
      throw new IllegalArgumentException("key '" + key + "': required string missing");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode o, String key, String path) {
    JsonNode v = o.get(key);
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw new IllegalArgumentException("key '" + path + "': required list of strings missing");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw new IllegalArgumentException("key '" + path + "': item " + i + " is not a string");
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }

  /** An index given as an int or a digit string, checked against the number of choices. */
  private static int index(JsonNode o, String key, int size) {
    JsonNode v = o.get(key);
    int i;
    if (v != null && v.isIntegralNumber()) {
      i = v.asInt();
    } else if (v != null && v.isTextual() && v.textValue().strip().matches("\\d+")) {
      i = Integer.parseInt(v.textValue().strip());
    } else {
      throw new IllegalArgumentException("key '" + key + "': required integer index missing");
    }
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException("key '" + key + "': " + i + " outside [0, " + size + ")");
    }
    return i;
  }
}
