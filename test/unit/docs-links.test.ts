import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

/** The README and every docs page, with the local files and anchors their links point at. */
const pages = ['README.md', ...readdirSync(path.join(projectRoot, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('documentation links', () => {
  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const text = readFileSync(path.join(projectRoot, page), 'utf8');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '').filter((target) => !/^[a-z]+:/.test(target));
    for (const link of links) {
      const [file = '', fragment] = link.split('#');
      const target = file === '' ? path.join(projectRoot, page) : path.resolve(path.dirname(path.join(projectRoot, page)), file);
      expect(existsSync(target), `${page} → ${link}`).toBe(true);
      if (fragment !== undefined && target.endsWith('.md')) {
        const headings = [...readFileSync(target, 'utf8').matchAll(/^#+ (.+)$/gm)].map((match) => anchor(match[1] ?? ''));
        expect(headings, `${page} → ${link}`).toContain(fragment);
      }
    }
  });

  it('keeps the README to its first screens, and names the two commands a newcomer needs', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThan(150);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
