/**
 * The text a person sees (or hears from a screen reader) on a page, node by node, with whether it
 * sits inside an element marked lang="en". A small reader of Gatepost's own HTML: enough for the
 * carer-pages test, not a general HTML parser.
 */
export type TextNode = { text: string; markedEnglish: boolean };

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const SKIP = new Set(['script', 'style', 'head', 'template', 'svg']);

function decode(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)));
}

export function textNodes(html: string): TextNode[] {
  const nodes: TextNode[] = [];
  const stack: { tag: string; english: boolean; skip: boolean }[] = [];
  const tokens = /<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>|([^<]+)/g;
  for (const m of html.matchAll(tokens)) {
    const [, closing, rawTag, attrs, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (top?.skip) continue;
      const clean = decode(text).replace(/\s+/g, ' ').trim();
      if (clean) nodes.push({ text: clean, markedEnglish: !!top?.english });
      continue;
    }
    if (!rawTag) continue;
    const tag = rawTag.toLowerCase();
    if (closing) {
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at >= 0) stack.length = at;
      continue;
    }
    if (VOID.has(tag) || /\/\s*$/.test(attrs ?? '')) {
      // A button drawn as <input value="…"> shows its value.
      const value = /\btype="(?:submit|button)"[^>]*\bvalue="([^"]*)"|\bvalue="([^"]*)"[^>]*\btype="(?:submit|button)"/.exec(attrs ?? '');
      if (tag === 'input' && value && !top?.skip) nodes.push({ text: decode(value[1] ?? value[2] ?? ''), markedEnglish: !!top?.english });
      continue;
    }
    const lang = /\blang="([^"]*)"/.exec(attrs ?? '')?.[1];
    stack.push({ tag, english: lang ? lang === 'en' && tag !== 'html' : !!top?.english, skip: SKIP.has(tag) || !!top?.skip });
  }
  return nodes;
}

/** Small words that only English UI sentences are made of: a node with one of them and several English words is English. */
const ENGLISH_WORDS = new Set(
  'the you your a an to of for and is are was we will this that on in with by not no yes from at it has have be can or if what when who which how our my more back see add ask tell choose enter there here these they them their been has do does did'.split(
    ' ',
  ),
);

/**
 * Text nodes of a page in another language that are the same on the English page and read as an
 * English sentence or phrase (three or more words, one of them a small English word), outside
 * anything marked lang="en".
 */
export function untranslated(nodes: TextNode[], english: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const node of nodes) {
    if (node.markedEnglish || !english.has(node.text)) continue;
    const words = node.text.split(/[\s,.;:!?()“”"–—/-]+/).filter((w) => /^[A-Za-z’']+$/.test(w));
    if (words.length < 3) continue;
    if (!words.some((w) => ENGLISH_WORDS.has(w.toLowerCase()) && w === w.toLowerCase())) continue;
    found.add(node.text);
  }
  return [...found];
}
