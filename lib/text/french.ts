/**
 * French typography for the workbook's prose (notebook markdown, answers.md,
 * the grader's feedback). The rules, as the Imprimerie nationale's lexique
 * gives them and as this project applies them:
 *
 * - a narrow no-break space (U+202F) before ; ! ? and a no-break space
 *   (U+00A0) before : ; a no-break space inside « guillemets » ;
 * - thousands grouped by a narrow no-break space (U+202F), from 4 digits on:
 *   1 000 images, 18 858, 655 403 (one separator everywhere, so that 7 840
 *   and 7883 never sit side by side);
 * - a decimal comma in prose (0,974, not 0.974): `typeset` cannot tell a
 *   decimal point from a version number, so it leaves them and
 *   `frenchProblems` reports them.
 *
 * Code spans and blocks, LaTeX ($…$, $$…$$), URLs, HTML tags and comments,
 * Markdown link targets and answer-template tags ({{…}}) are left alone.
 */

export const NBSP = "\u00a0";
export const NNBSP = "\u202f";

/** Pieces of text that are not prose: left untouched by `typeset` and not checked by `frenchProblems`. */
const PROTECTED = new RegExp(
  [
    "^(?:>[ \\t]?)*(?:```|~~~)[^\\n]*\\n[\\s\\S]*?^(?:>[ \\t]?)*(?:```|~~~)[ \\t]*$", // fenced code blocks (also inside > quotes)
    "`+[^`]*?`+", // code spans
    "\\$\\$[\\s\\S]*?\\$\\$", // display math
    "\\$[^$\\n]+?\\$", // inline math
    "\\{\\{[\\s\\S]*?\\}\\}", // answers-template tags
    "<!--[\\s\\S]*?-->", // HTML comments
    "<[a-zA-Z/][^>\\n]*>", // HTML tags and their attributes
    "\\]\\([^)\\s]*\\)", // Markdown link targets
    "https?://[^\\s)>\\]]+", // bare URLs
  ].join("|"),
  "gm",
);

/** Splits text into alternating prose (even indices) and protected pieces (odd indices). */
function split(text: string): string[] {
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PROTECTED)) {
    parts.push(text.slice(last, m.index), m[0]);
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** What may stand right before a high punctuation mark that needs a space: a word, a number, a closing mark. */
// "}" ends a template tag, "`" and "$" code and math, \u0001 stands for a protected piece in frenchProblems.
const BEFORE = "[\\p{L}\\p{N})\\]}»*_%°'’\"…`$\\u0001]";
const SPACES = "[ \\u00a0\\u202f]*";

function typesetProse(s: string): string {
  return s
    // ; ! ? take a narrow no-break space (not "!["" of an image, not "?)" inside a word's parenthesis is fine)
    .replace(new RegExp(`(${BEFORE})${SPACES}([;!?])(?!\\[)`, "gu"), `$1${NNBSP}$2`)
    // : takes a no-break space when it ends a clause (followed by a space or the end of the line)
    .replace(new RegExp(`(${BEFORE})${SPACES}:(?=[ \\t\\n]|$)`, "gmu"), `$1${NBSP}:`)
    // « and » take no-break spaces inside
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`)
    // 1 000 written with ordinary spaces → narrow no-break spaces
    .replace(/(?<![\p{L}\p{N}.,_-])(\d{1,3})((?:[ \u00a0]\d{3})+)(?![\p{L}\p{N}_]|[.,]\d)/gu, (_, head: string, rest: string) => head + rest.replace(/[ \u00a0]/g, NNBSP))
    // 7883, 18858 → 7 883, 18 858 (integers standing alone, not decimals' digits, identifiers or exponents)
    .replace(/(?<![\p{L}\p{N}.,_\-−+/^])(\d{4,})(?![\p{L}\p{N}_]|[.,]\d)/gu, (n: string) => n.replace(/\B(?=(\d{3})+$)/g, NNBSP));
}

/** French typography applied to the prose of a Markdown text (idempotent). */
export function typeset(markdown: string): string {
  const parts = split(markdown);
  // A prose piece is typeset with the last character of the protected piece before it, so that "`code` :" gets its space too.
  return parts.map((p, i) => {
    if (i % 2 === 1) return p;
    const ctx = i > 0 ? parts[i - 1].slice(-1) : "";
    return typesetProse(ctx + p).slice(ctx.length);
  }).join("");
}

export interface FrenchProblem {
  /** 1-based line of the text. */
  line: number;
  /** What is wrong and how to write it. */
  message: string;
}

const COUNT_NOUNS = "images?|paramètres?|passes?|échantillons?|itérations?|pixels?|neurones?|lignes?|valeurs?";

/**
 * The violations of the rules above in a text's prose, line by line: missing
 * or wrong spaces before ; ! ? : and inside « », decimal points (and a
 * sentence mixing 0.974 and 0,1), integers of 5 digits or more not grouped,
 * and 4-digit counts (a number followed by images, passes, paramètres…) not
 * grouped. Use it on notebook markdown, answers.md and feedback messages.
 */
export function frenchProblems(text: string): FrenchProblem[] {
  const problems: FrenchProblem[] = [];
  // Protected pieces become spaces-free placeholders of the same length so line numbers hold.
  const prose = split(text).map((p, i) => (i % 2 === 0 ? p : p.replace(/[^\n]/g, "\u0001"))).join("");
  prose.split("\n").forEach((line, i) => {
    const at = (message: string) => problems.push({ line: i + 1, message });
    for (const m of line.matchAll(new RegExp(`(${BEFORE})([ \\u00a0]?)([;!?])(?!\\[)`, "gu"))) {
      at(`« ${m[0].trim()} » : une espace fine insécable (U+202F) avant « ${m[3]} »${m[2] ? `, pas ${m[2] === " " ? "une espace ordinaire" : "une espace insécable"}` : ""}`);
    }
    for (const m of line.matchAll(new RegExp(`(${BEFORE})([ \\u202f]?):(?=[ \\t]|$)`, "gu"))) {
      at(`« ${m[0].trim()} » : une espace insécable (U+00A0) avant « : »${m[2] ? `, pas ${m[2] === " " ? "une espace ordinaire" : "une espace fine"}` : ""}`);
    }
    if (/«(?!\u00a0)/.test(line)) at("« : une espace insécable (U+00A0) après le guillemet ouvrant");
    if (/(?<!\u00a0)»/.test(line)) at("» : une espace insécable (U+00A0) avant le guillemet fermant");
    // "consigne 18.7", "section 1.0", a heading "## 1.1. …": numbers of the handout's parts, not decimals.
    const points = [...line.matchAll(/(?<![\p{L}\p{N}._/\\-])(?<!(?:[Cc]onsignes?|[Ss]ections?|[Qq]uestions?|[Pp]oints?)[ \u00a0\u202f]?)(?<!^(?:[#>*]+ ?)*)\d+\.\d+(?![\p{L}\p{N}_]|\.\d)/gu)].map((m) => m[0]);
    for (const p of points) at(`${p} : virgule décimale en français (${p.replace(".", ",")})`);
    if (points.length && /(?<![\p{L}\p{N}])\d+,\d+(?![\p{N}])/u.test(line)) at(`la même phrase mélange le point (${points[0]}) et la virgule décimale`);
    for (const m of line.matchAll(/(?<![\p{L}\p{N}.,_\-−+/^])\d{5,}(?![\p{L}\p{N}_]|[.,]\d)/gu)) {
      at(`${m[0]} : groupez les chiffres par trois avec une espace fine insécable (${m[0].replace(/\B(?=(\d{3})+$)/g, NNBSP)})`);
    }
    for (const m of line.matchAll(new RegExp(`(?<![\\p{L}\\p{N}.,_\\-−+/^])(\\d{4})[ \\u00a0\\u202f]+(${COUNT_NOUNS})\\b`, "gu"))) {
      at(`${m[1]} ${m[2]} : un effectif de 4 chiffres s'écrit groupé (${m[1][0]}${NNBSP}${m[1].slice(1)} ${m[2]})`);
    }
    for (const m of line.matchAll(/(?<![\p{L}\p{N}.,_-])\d{1,3}(?: \d{3})+(?![\p{L}\p{N}_])/gu)) {
      at(`${m[0]} : séparez les milliers par une espace fine insécable (U+202F), pas une espace ordinaire`);
    }
  });
  return problems;
}
