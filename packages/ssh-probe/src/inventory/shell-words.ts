/**
 * Splits a line as Python's `shlex.split(line, comments=True)` does, which is how Ansible reads
 * INI inventory host lines: whitespace separates words, '...' and "..." group (the quotes are
 * removed), a backslash escapes the next character outside single quotes, and `#` at the start of
 * a word begins a comment. Throws on an unterminated quote.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`no closing ${quote}`);
  if (inWord) words.push(word);
  return words;
}
