package io.github.longrope.data;

import java.util.ArrayList;
import java.util.List;

/** Documents held as Java arrays (JSON ids, text tokenized on the fly, tests). */
public final class InMemoryDocuments implements Documents {
  private final List<int[]> docs;

  public InMemoryDocuments(List<int[]> docs) {
    this.docs = new ArrayList<>();
    for (int[] d : docs) {
      this.docs.add(d.clone());
    }
  }

  @Override
  public int size() {
    return docs.size();
  }

  @Override
  public int length(int i) {
    return docs.get(i).length;
  }

  @Override
  public int[] document(int i) {
    return docs.get(i).clone();
  }
}
