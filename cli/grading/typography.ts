/** French typography for the feedback: no-break spaces before : ; ! ? and inside « », decimal commas are the checks' own. */
const NNBSP = "\u202f", NBSP = "\u00a0";

/** Fixes the spaces of French punctuation outside `code spans`. */
export function frenchTypography(text: string): string {
  return text.split(/(`[^`\n]*`)/).map((part, i) => (i % 2 ? part : part
    .replace(/ ([;!?])(?=\s|$)/g, `${NNBSP}$1`)
    .replace(/ :(?=\s|$)/g, `${NBSP}:`)
    .replace(/« /g, `«${NBSP}`)
    .replace(/ »/g, `${NBSP}»`))).join("");
}
