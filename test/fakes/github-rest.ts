import { json, type LoopbackRequest, type LoopbackResponse } from './loopback.js';

/** Shapes shared by the GitHub REST fakes: GitHub's error body and its list pagination. */
export const DOCS = 'https://docs.github.com/rest';

export function ghError(status: number, message: string, documentationUrl: string = DOCS): LoopbackResponse {
  return json(status, { message, documentation_url: documentationUrl, status: String(status) });
}

/** One page of `items` as GitHub pages lists: `per_page` (default 30, max 100), `page` from 1, and a Link header. */
export function page<T>(req: LoopbackRequest, origin: string, items: readonly T[], wrap?: (slice: T[], total: number) => unknown): LoopbackResponse {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page')) || 30));
  const pageNo = Math.max(1, Number(req.query.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number, rel: string) => {
    const q = new URLSearchParams(req.query);
    q.set('per_page', String(perPage));
    q.set('page', String(n));
    return `<${origin}${req.path}?${q}>; rel="${rel}"`;
  };
  const rels: string[] = [];
  if (pageNo > 1) rels.push(link(Math.min(pageNo - 1, last), 'prev'));
  if (pageNo < last) rels.push(link(pageNo + 1, 'next'), link(last, 'last'));
  if (pageNo > 1) rels.push(link(1, 'first'));
  return json(200, wrap ? wrap(slice, items.length) : slice, rels.length ? { link: rels.join(', ') } : {});
}
