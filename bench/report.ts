/**
 * What `npm run bench` prints, section by section, and with `--readme` the same figures written into the
 * README's Performance section (between the bench markers), so that the README shows the bench's latest
 * output rather than figures typed by hand.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';

export interface BenchSection {
  title: string;
  /** What is measured and against which peer, in a sentence or two. */
  about: string;
  rows: Record<string, string | number>[];
}

const BEGIN = '<!-- bench:begin (written by `npm run bench -- --readme`; do not edit by hand) -->';
const END = '<!-- bench:end -->';

const cell = (v: string | number) => String(v).trim().replace(/\|/g, '\\|');

/** One section as Markdown: a heading line, the sentence, and the rows as a table. */
export function sectionMarkdown(s: BenchSection): string {
  const columns = [...new Set(s.rows.flatMap((r) => Object.keys(r)))];
  const table = [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...s.rows.map((r) => `| ${columns.map((c) => cell(r[c] ?? '')).join(' | ')} |`),
  ];
  return [`**${s.title}.** ${s.about}`, '', ...table].join('\n');
}

/** Prints a section to the terminal. */
export function printSection(s: BenchSection): void {
  console.log(`\n${s.title}. ${s.about}\n`);
  console.table(s.rows);
}

/** Replaces what stands between the bench markers in `readmePath` with these sections. */
export async function writeReadme(
  readmePath: string,
  sections: readonly BenchSection[],
  header: string,
): Promise<void> {
  const text = await readFile(readmePath, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin === -1 || end < begin) throw new Error(`${readmePath} has no bench markers (${BEGIN} … ${END}).`);
  const body = [header, ...sections.map(sectionMarkdown)].join('\n\n');
  const written = `${text.slice(0, begin)}${BEGIN}\n\n${body}\n\n${text.slice(end)}`;
  // In the repository's style (npm run lint checks the README too).
  const options = (await resolveConfig(readmePath)) ?? {};
  await writeFile(readmePath, await format(written, { ...options, filepath: readmePath }));
}
