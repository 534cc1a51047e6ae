import { describe, expect, it } from 'vitest';
import { MAX_QUERY_TERMS, queryTerms, toFtsQuery } from './fts-query.ts';

describe('toFtsQuery', () => {
  it('quotes every word and joins them with OR, so operators and columns are plain words', () => {
    expect(toFtsQuery('title:parser AND "x')).toBe('"title" OR "parser" OR "x"');
    expect(toFtsQuery('NEAR(x y)')).toBe('"near" OR "x" OR "y"');
  });

  it('drops function words unless nothing else is left', () => {
    expect(queryTerms('How does the parser work?')).toEqual(['parser', 'work']);
    expect(queryTerms('the and of')).toEqual(['the', 'and', 'of']);
  });

  it('has no query for text without letters or digits', () => {
    expect(toFtsQuery(' "*:^ () ')).toBeUndefined();
  });

  it('keeps each word once, non-ASCII words included, at most MAX_QUERY_TERMS', () => {
    expect(queryTerms('Straße straße ÉTÉ été 42')).toEqual(['straße', 'été', '42']);
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(queryTerms(many)).toHaveLength(MAX_QUERY_TERMS);
  });
});
