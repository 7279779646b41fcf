package io.github.longrope.eval.mc;

import java.util.List;
import java.util.Objects;

/**
 * One multiple-choice question, rendered for log-likelihood scoring: the model reads {@code
 * description + shots + query} and each choice is scored as the continuation {@code " " + choice}.
 *
 * @param id where it came from (file and line), for messages and logs
 * @param description task preamble before any few-shot examples ("" for none)
 * @param query the question as the model sees it, ending where the answer starts
 * @param choices the candidate answers (without the leading space)
 * @param correct indices of the correct choices (one for most tasks; several for TruthfulQA MC2),
 *     the first is the gold answer shown in few-shot examples
 */
public record McItem(
    String id, String description, String query, List<String> choices, List<Integer> correct) {
  public McItem {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(query, "query");
    choices = List.copyOf(choices);
    correct = List.copyOf(correct);
    if (choices.size() < 2) {
      throw new IllegalArgumentException(id + ": needs at least 2 choices, got " + choices.size());
    }
    if (correct.isEmpty()) {
      throw new IllegalArgumentException(id + ": no correct choice");
    }
    for (int c : correct) {
      if (c < 0 || c >= choices.size()) {
        throw new IllegalArgumentException(
            id + ": correct choice " + c + " outside [0, " + choices.size() + ")");
      }
    }
    for (int i = 0; i < choices.size(); i++) {
      if (choices.get(i).isEmpty()) {
        throw new IllegalArgumentException(id + ": choice " + i + " is empty");
      }
    }
  }

  /** The gold answer (the first correct choice). */
  public int gold() {
    return correct.get(0);
  }

  /** This item as a solved few-shot example: query, space, gold answer. */
  public String solved() {
    return query + " " + choices.get(gold());
  }
}
