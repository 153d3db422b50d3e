/** Lines a Markdown report wraps its prose at, so that a ticket shows it without sideways scrolling. */
export const MARKDOWN_WIDTH = 100;

// A word that would start a block (heading, list item, quote, thematic break, setext underline) if a line began
// with it: a line is never broken before one.
const BLOCK_START = /^(?:#{1,6}|[-+*=>]+|\d{1,9}[.)])$/;

// The part of a line its continuation lines align with: its indentation and a list marker if it has one.
const LINE_LEAD = /^ *(?:(?:[-+*]|\d{1,9}[.)]) +)?/;

/**
 * Wraps each line of `text` longer than `width` at spaces. Continuation lines are indented to the text of the line
 * they continue (past its list marker), so they stay in the list item they belong to; a line's trailing hard break
 * ("  ") stays on its last piece. A word longer than the width is left whole. Table rows and headings are left
 * as they are: wrapping would end them.
 */
export function wrapMarkdown(text: string, width = MARKDOWN_WIDTH): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width || /^ *[|#]/.test(line)) return line;
      const hardBreak = line.endsWith('  ') ? '  ' : '';
      const lead = LINE_LEAD.exec(line)![0];
      const pad = ' '.repeat(lead.length);
      const words = line.slice(lead.length).trim().split(/ +/);
      const out: string[] = [];
      let cur = lead + words[0];
      for (const w of words.slice(1)) {
        if (cur.length + 1 + w.length > width && !BLOCK_START.test(w)) {
          out.push(cur);
          cur = pad + w;
        } else {
          cur += ` ${w}`;
        }
      }
      out.push(cur + hardBreak);
      return out.join('\n');
    })
    .join('\n');
}
