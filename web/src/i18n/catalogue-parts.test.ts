import itFirst from 'virtual:catalogue/it/first';
import itPages from 'virtual:catalogue/it/pages';
import { describe, expect, it } from 'vitest';
import { cataloguePart, PAGE_SECTIONS } from '../../build/catalogue-parts';
import en from './en.json';
import it_ from './it.json';

describe('catalogue parts', () => {
  it('split each catalogue in two, nothing lost, nothing twice', () => {
    for (const catalogue of [it_, en] as Record<string, unknown>[]) {
      const first = cataloguePart(catalogue, 'first');
      const pages = cataloguePart(catalogue, 'pages');
      expect(Object.keys(first).filter((key) => key in pages)).toEqual([]);
      expect({ ...first, ...pages }).toEqual(catalogue);
    }
  });

  it('name only sections that exist, and leave the first page its own', () => {
    for (const section of PAGE_SECTIONS) {
      expect(it_, section).toHaveProperty([section]);
      expect(en, section).toHaveProperty([section]);
    }
    for (const section of ['layout', 'login', 'errors', 'fieldErrors', 'captcha', 'session', 'notFound'])
      expect(PAGE_SECTIONS as readonly string[], section).not.toContain(section);
  });

  it('are what the build serves', () => {
    expect(itFirst).toEqual(cataloguePart(it_, 'first'));
    expect(itPages).toEqual(cataloguePart(it_, 'pages'));
  });
});
