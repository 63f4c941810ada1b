// Sends a reversed comparison URL (/compare/b-vs-a/) to the canonical page (/compare/a-vs-b/)
// when that page exists. The build writes these redirects into `_redirects` while they take
// fewer than 10,000 rules; past that, this one function does the same for any catalogue.
// Canonical URLs and everything else pass through untouched, without a lookup.

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PATH = /^(.*\/compare\/)(?:([a-z0-9-]+)\/)?([a-z0-9-]+)\/?$/;

// The canonical URLs `pathname` may be the reversed form of, most likely first; an empty
// list when it is not a comparison URL or reads as a canonical one (slug order).
export function candidates(pathname) {
  const m = PATH.exec(pathname);
  if (!m) return [];
  const [, prefix, folder, name] = m;
  const found = [];
  for (let i = name.indexOf("-vs-"); i > 0; i = name.indexOf("-vs-", i + 1)) {
    const first = name.slice(0, i);
    const second = name.slice(i + 4);
    if (!SLUG.test(first) || !SLUG.test(second) || first === second) continue;
    if (folder !== undefined && folder !== first) continue;
    if (first < second) return []; // a canonical URL: the page itself, or a real 404
    const nested = folder !== undefined ? `${second}/` : "";
    found.push(`${prefix}${nested}${second}-vs-${first}/`);
  }
  return found;
}

export default async function reverseCompare(request, context) {
  const url = new URL(request.url);
  for (const candidate of candidates(url.pathname)) {
    const target = new URL(candidate, url);
    const head = await fetch(target, { method: "HEAD" });
    if (head.ok) return Response.redirect(target.toString(), 301);
  }
  return context.next();
}

export const config = { path: "/compare/*" };
