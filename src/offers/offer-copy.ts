import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { flattenMessages, type MessagesByLocale } from '../catalog/catalog-messages';
import { messageSyntaxProblem } from '../catalog/message-format';
import { repositoryRoot } from '../shared/repository-root';

/** offers/copy/ of this repository: one YAML file of prompt copy per locale. */
export function defaultCopyDir(): string {
  return path.join(repositoryRoot(), 'offers', 'copy');
}

/** Reads every locale's copy, flattened to dotted keys (`offers.add_on.gentle.title`). */
export function loadOfferCopy(dir: string = defaultCopyDir()): MessagesByLocale {
  const copy: Record<string, Record<string, string>> = {};
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const { messages, bad } = flattenMessages(parse(fs.readFileSync(path.join(dir, name), 'utf8')));
    if (bad.length > 0) throw new Error(`offers/copy/${name}: not text at ${bad.join(', ')}`);
    const invalid = Object.entries(messages).filter(([, text]) => messageSyntaxProblem(text) !== null);
    if (invalid.length > 0)
      throw new Error(`offers/copy/${name}: not ICU MessageFormat at ${invalid.map(([key]) => key).join(', ')}`);
    copy[name.replace(/\.ya?ml$/, '')] = messages;
  }
  if (!copy.en) throw new Error(`${dir} has no en.yaml: English is every locale's fallback`);
  return copy;
}

/** The copy keys English has: what rules may name and every locale must translate. */
export function copyKeys(copy: MessagesByLocale): Set<string> {
  return new Set(Object.keys(copy.en ?? {}));
}
