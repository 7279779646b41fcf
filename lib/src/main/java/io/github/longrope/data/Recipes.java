package io.github.longrope.data;

import io.github.longrope.data.Recipe.Part;
import io.github.longrope.data.Recipe.Portion;
import io.github.longrope.data.Recipe.Split;
import io.github.longrope.data.Recipe.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in datasets, from Debian bookworm packages of free texts. Every extracted text is
 * pinned by the sha256 of its UTF-8 bytes, measured once with these extractors.
 */
public final class Recipes {
  private Recipes() {}

  static final String AUSTEN_RDB = "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb";
  static final String WEB = "usr/share/sword/modules/texts/ztext/engWEB2015eb";
  static final String PY = "usr/share/doc/python3.11/html/_sources";
  static final String PARI = "usr/share/pari/doc/";
  static final String HOL = "usr/share/hol-light/Multivariate/";

  static final String AUSTEN_LICENSE = "public domain (package: MIT)";
  static final String PSF = "PSF-2.0";

  /** The texts of the training split; the short-context validation split is their tails. */
  private static final String[] TRAINING_TEXTS = {
    "austen_emma",
    "austen_mansfieldpark",
    "austen_sensesensibility",
    "web_old_testament",
    "python_docs_guides"
  };

  /**
   * {@code corpus}: all roles in one dataset, so that one build yields training, search and
   * evaluation files that share one tokenizer and are disjoint by construction.
   */
  public static final Recipe CORPUS =
      new Recipe(
          "corpus",
          "Offline stand-ins for LongRoPE's corpora, from Debian packages: long English books in"
              + " the PG19 role (Jane Austen's six novels, the World English Bible, the Jargon File,"
              + " The Devil's Dictionary) and technical/mathematical text in the Proof-pile role"
              + " (the PARI/GP users' guide in TeX, HOL Light and Coq proofs, the Python 3.11 docs"
              + " in reST). Split so that the training"
              + " text is books plus the non-library Python docs (so evaluation vocabulary is"
              + " covered); search validation is held-out long books; evaluation is a"
              + " held-out book, other prose, the Python library reference, and a math/formal"
              + " domain never trained on. The KJV Bible is deliberately absent (same content as"
              + " the WEB training text).",
          texts(),
          List.of(
              new Split(
                  "train",
                  "training text (books + non-library Python docs), first 95% of each",
                  parts(Portion.HEAD, TRAINING_TEXTS)),
              new Split(
                  "valid",
                  "short-context validation: the last 5% of each training text",
                  parts(Portion.TAIL, TRAINING_TEXTS)),
              new Split(
                  "search",
                  "search validation (PG19-validation role): held-out long books, whole",
                  parts(
                      Portion.WHOLE,
                      "austen_northangerabbey",
                      "austen_persuasion",
                      "web_new_testament")),
              new Split(
                  "eval-books",
                  "evaluation, in-domain book (PG19-test role)",
                  parts(Portion.WHOLE, "austen_prideprejudice")),
              new Split(
                  "eval-prose",
                  "evaluation, other English prose",
                  parts(Portion.WHOLE, "jargon_file", "devils_dictionary")),
              new Split(
                  "eval-python",
                  "evaluation, in-domain technical text (Python library reference)",
                  parts(Portion.WHOLE, "python_docs_library")),
              new Split(
                  "eval-math",
                  "evaluation, never-trained math/formal domain (Proof-pile role)",
                  parts(
                      Portion.WHOLE,
                      "pari_users_guide",
                      "hol_topology",
                      "hol_integration",
                      "coq_reals"))),
          0.05);

  /** Built-in dataset names, for help and errors. */
  public static final List<String> NAMES = List.of(CORPUS.name());

  /** The built-in recipe of this name. */
  public static Recipe byName(String name) {
    if (CORPUS.name().equals(name)) {
      return CORPUS;
    }
    throw new IllegalArgumentException(
        "unknown dataset '" + name + "': built-in datasets are " + String.join(", ", NAMES));
  }

  private static List<Text> texts() {
    List<Text> t = new ArrayList<>();
    String[][] austen = {
      {"emma", "EMMA", "Emma", "7c67b5985c6d0de1efaeb5d342d52cb82c38083c40e2295129e30e87ee690ebe"},
      {
        "mansfieldpark",
        "MANSFIELD PARK",
        "Mansfield Park",
        "98bc90519cdf4ef663ad7de2734bb529435ef24f7abbde6bb1a50898871dafe9"
      },
      {
        "northangerabbey",
        "NORTHANGER ABBEY",
        "Northanger Abbey",
        "51f91bbe0517db8e65cff009b097ce0a1836124c4e0532ac19e6c0cad982abed"
      },
      {
        "persuasion",
        "Persuasion",
        "Persuasion",
        "8061549557aebd2fd6e353d18d9197cb707029112bd52d4d8b174583a925848a"
      },
      {
        "prideprejudice",
        "PRIDE AND PREJUDICE",
        "Pride and Prejudice",
        "dfc684d4f857fa938268f9ab9c5567b64bd0691251eca959644adeabe6287a4d"
      },
      {
        "sensesensibility",
        "SENSE AND SENSIBILITY",
        "Sense and Sensibility",
        "105e1651fe93bed7130078578efd31e0c557d68667ba672ddc876f735b30fe09"
      },
    };
    for (int i = 0; i < austen.length; i++) {
      t.add(
          new Text(
              "austen_" + austen[i][0],
              "Jane Austen, " + austen[i][2],
              "r-cran-janeaustenr",
              AUSTEN_LICENSE,
              Extraction.rLazyLoad(AUSTEN_RDB, i, austen[i][1]),
              pins(austen[i][3])));
    }
    t.add(
        new Text(
            "web_old_testament",
            "World English Bible, Old Testament with Deuterocanon and Preface",
            "sword-text-web",
            "public domain",
            Extraction.sword(WEB, "ot"),
            pins("947badef6456496bec4261f2ee918b9bd06dd09aeb24b6a011ec422915f51d96")));
    t.add(
        new Text(
            "web_new_testament",
            "World English Bible, New Testament",
            "sword-text-web",
            "public domain",
            Extraction.sword(WEB, "nt"),
            pins("1e299935a3ef33a980e8988de9ffd74470d76e28574da0eea87b23f957f1d4a5")));
    t.add(
        new Text(
            "jargon_file",
            "The Jargon File 4.4.7",
            "jargon-text",
            "public domain",
            Extraction.gzip("usr/share/doc/jargon-text/jargon.txt.gz"),
            pins("40dfb4b98191a670a09a183d5798d50f243d23fdbd1495dcc0aca2ce5895ba97")));
    t.add(
        new Text(
            "devils_dictionary",
            "Ambrose Bierce, The Devil's Dictionary (dictd database text)",
            "dict-devil",
            "public domain",
            Extraction.gzip("usr/share/dictd/devil.dict.dz"),
            pins("703d1225d2fb927653bfd8b00e4e96938e0b630c6023edd26702ac6ed50383f8")));
    t.add(
        new Text(
            "python_docs_guides",
            "Python 3.11 docs without library/ and whatsnew/ (tutorial, howto, reference, FAQ,"
                + " C API, …), reST",
            "python3.11-doc",
            PSF,
            Extraction.tree(PY, ".rst.txt", true, "library/", "whatsnew/"),
            pins("fb3e76d8434bb2e433361474ad9bc38f3b3565c712f4d33b1404bf9e2b586eb6")));
    t.add(
        new Text(
            "python_docs_library",
            "Python 3.11 library reference (library/), reST",
            "python3.11-doc",
            PSF,
            Extraction.tree(PY + "/library", ".rst.txt", true),
            // 3.11.2-6+deb12u9 (bookworm-security), 3.11.2-6+deb12u8 (bookworm): four library
            // pages changed (asyncio-eventloop, asyncio-stream, ssl, urllib.request)
            pins(
                "4ba535aafe8fe484cd65e6b466f000d72c5a91dd0f25bd5dc086ee3f4910d3d6",
                "504652c8d23ac69a7423ad07c27ba2a0aaf83fc10d41345ab8be1c3306795cc6")));
    String[] chapters = new String[8];
    for (int i = 0; i < 8; i++) {
      chapters[i] = PARI + "usersch" + (i + 1) + ".tex";
    }
    t.add(
        new Text(
            "pari_users_guide",
            "PARI/GP users' guide, chapters 1–8, TeX",
            "pari-doc",
            "GPL-2+",
            Extraction.concat(PARI + "usersch{1..8}.tex, concatenated in chapter order", chapters),
            pins("773614e0d58c413450c741fd7714135c30a9bafa139ff485a4a3617d3ae41b96")));
    t.add(
        new Text(
            "hol_topology",
            "HOL Light, Multivariate/topology.ml",
            "hol-light",
            "BSD-2-clause",
            Extraction.file(HOL + "topology.ml"),
            pins("1b0fd1799c68dbd23a1babca3efe01d58840ac44a421158c2e9085a4f26dd873")));
    t.add(
        new Text(
            "hol_integration",
            "HOL Light, Multivariate/integration.ml",
            "hol-light",
            "BSD-2-clause",
            Extraction.file(HOL + "integration.ml"),
            pins("03528229d7172f50edaf61bdaec89e51ea372f8c0368b02364473bb93504bf76")));
    t.add(
        new Text(
            "coq_reals",
            "Coq standard library, theories/Reals/*.v",
            "libcoq-stdlib",
            "LGPL-2.1",
            Extraction.tree("usr/lib/ocaml/coq/theories/Reals", ".v", false),
            pins("bffcc972c6081c63e3955a453b4d483cd1501f8449520483340ac23dfdcdb526")));
    return t;
  }

  private static List<Part> parts(Portion portion, String... texts) {
    List<Part> p = new ArrayList<>();
    for (String t : texts) {
      p.add(new Part(t, portion));
    }
    return p;
  }

  private static List<String> pins(String... sha256) {
    return List.of(sha256);
  }
}
