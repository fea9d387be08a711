import fs from 'node:fs';
import path from 'node:path';
import { stringsFor, WIDGET_LANGUAGES } from '../../src/web/browser/widget/strings';

const ROOT = path.resolve(__dirname, '../..');
const catalogLanguages = fs
  .readdirSync(path.join(ROOT, 'catalog/locales'))
  .map((file) => file.replace(/\.yaml$/, ''))
  .sort();

/** The widget's own words, in every language the catalog and the offer copy speak. */
describe('widget strings', () => {
  it('cover every catalog language', () => {
    expect(Object.keys(WIDGET_LANGUAGES).sort()).toEqual(catalogLanguages);
  });

  it.each(catalogLanguages.filter((l) => l !== 'en'))('are all translated in %s (no English left over)', (lang) => {
    const english = WIDGET_LANGUAGES.en as unknown as Record<string, string | ((...a: string[]) => string)>;
    const words = WIDGET_LANGUAGES[lang] as unknown as Record<string, string | ((...a: string[]) => string)>;
    const said = (value: string | ((...a: string[]) => string)) =>
      typeof value === 'function' ? value('{a}', '{b}') : value;
    const untranslated = Object.keys(english).filter((key) => {
      const value = words[key];
      return value === undefined || said(value).trim() === '' || said(value) === said(english[key] ?? '');
    });
    expect(untranslated).toEqual([]);
  });

  it('choose by the language of a locale tag, English otherwise', () => {
    expect(stringsFor('uz-UZ').close).toBe('Yopish');
    expect(stringsFor('ja-JP').close).toBe('閉じる');
    expect(stringsFor('pt-BR').close).toBe('Close');
  });
});
