import { broaderQueries, isEmptyQuery, type TSearchQuery } from '../../../src/domain/search';

const query = (overrides: Partial<TSearchQuery>): TSearchQuery => ({ words: [], phrases: [], ...overrides });

describe('broaderQueries', () => {
  it('tries the words without filters, fewer words, then the filters alone', () => {
    expect(broaderQueries(query({ words: ['acme', 'pricing'], competitor: 'globex', since: '2026-01-01' }))).toEqual([
      query({ words: ['acme', 'pricing'] }),
      query({ words: ['acme'], competitor: 'globex', since: '2026-01-01' }),
      query({ competitor: 'globex', since: '2026-01-01' }),
      query({ words: ['acme', 'pricing'], competitor: 'globex' }),
    ]);
  });

  it('loosens phrases into words', () => {
    expect(broaderQueries(query({ phrases: ['Economic Buyer'] }))).toEqual([query({ words: ['economic', 'buyer'] })]);
  });

  it('offers nothing for a single word, and never the empty query', () => {
    expect(broaderQueries(query({ words: ['zeppelin'] }))).toEqual([]);
    expect(broaderQueries(query({ status: 'open' }))).toEqual([]);
    for (const candidate of broaderQueries(query({ words: ['a'], status: 'open' }))) expect(isEmptyQuery(candidate)).toBe(false);
  });
});
