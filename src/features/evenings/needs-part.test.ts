import { describe, expect, it } from 'vitest';
import { createTemplates } from '../../platform/web/nunjucks.ts';
import { textIn } from '../../platform/i18n/catalog.ts';
import { languageOptions } from './needs.ts';

/**
 * "Help at your appointments" is drawn with part() (platform/web/nunjucks.ts): once for each set of
 * values and language, since most booking pages in a rush draw it alike.
 */
describe('the needs part, drawn once for each set of values and language', () => {
  const page = '{{ part("features/evenings/views/needs-part.njk", { needs: needs, staffMode: false }) }}<p>{{ csrfToken }}</p>';

  function needsFor(code: string, counter: { drawn: number }, note = '', errors: Record<string, string> = {}) {
    const values = { interpreter: 'yes', interpreter_language: 'Polish', access_note: note };
    const languages = languageOptions('Polish', 'Polish', textIn(code));
    // toJSON: the key part() makes reads the values without counting a drawing.
    return {
      toJSON: () => ({ values, languages, errors }),
      get values() {
        counter.drawn++;
        return values;
      },
      languages,
      errors,
    };
  }

  it('shows the carer’s choice and note in their own language, and nothing else of the page', () => {
    const env = createTemplates();
    const counter = { drawn: 0 };
    const html = env.renderString(page, { needs: needsFor('pl', counter, 'Pokój <cichy>'), csrfToken: 'token-of-the-page', t: textIn('pl') });
    expect(html).toContain('name="needs_part"');
    expect(html).toMatch(/<option value="Polish" selected>/);
    expect(html).toContain('Pokój &lt;cichy&gt;');
    expect(html).toContain(textIn('pl')('evenings.needs.title'));
    expect(html.match(/token-of-the-page/g)).toHaveLength(1); // the page's own, not the part's
  });

  it('is drawn again only for other values, errors or another language', () => {
    const env = createTemplates();
    const counter = { drawn: 0 };
    const draw = (code: string, note = '', errors = {}) => env.renderString(page, { needs: needsFor(code, counter, note, errors), t: textIn(code) });
    draw('en');
    const once = counter.drawn;
    expect(once).toBeGreaterThan(0);
    draw('en');
    expect(counter.drawn).toBe(once);
    draw('en', 'A quiet room');
    expect(counter.drawn).toBe(2 * once);
    const withError = draw('en', 'A quiet room', { access_note: 'Enter 300 characters or fewer' });
    expect(counter.drawn).toBe(3 * once);
    expect(withError).toContain('Enter 300 characters or fewer');
    draw('pl');
    expect(counter.drawn).toBe(4 * once);
  });
});
