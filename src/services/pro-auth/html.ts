import { createHash } from 'node:crypto';

/**
 * The few server-rendered pages of the professional sign-in (the demo's test IdP, an unusable callback):
 * French, a title, a main landmark, visible focus, no script at all, and a CSP that allows nothing but their
 * own style block (by hash) and form posts to Carnet itself.
 */
const STYLE = `
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;line-height:1.5;color:#1e1e1e;background:#fff}
header{background:#000091;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:700}
main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 1rem}
fieldset{border:0;padding:0;margin:0 0 1.25rem}
legend{font-weight:600;margin-bottom:.5rem}
.choice{display:flex;gap:.75rem;align-items:flex-start;padding:.75rem;border:1px solid #929292;border-radius:4px;margin-bottom:.5rem}
.choice input{width:1.25rem;height:1.25rem;margin:.125rem 0 0;flex:none;accent-color:#000091}
.choice label{cursor:pointer}
.hint{display:block;color:#53535f;font-size:.9375rem}
.note{background:#e8edff;border-left:4px solid #000091;padding:.75rem 1rem;margin:0 0 1.25rem}
.error{background:#fde8ea;border-left:4px solid #b00020;color:#b00020;padding:.75rem 1rem;margin:0 0 1.25rem;font-weight:600}
.buttons{display:flex;flex-wrap:wrap;gap:.75rem}
button,.button{font:inherit;font-weight:600;padding:.625rem 1.25rem;border-radius:4px;border:2px solid #000091;cursor:pointer;text-decoration:none;display:inline-block}
.primary{background:#000091;color:#fff}
.secondary{background:#fff;color:#000091}
a{color:#000091}
:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole page: `title` (escaped) is the document title and the h1; `body` is trusted HTML. */
export function htmlPage(o: { title: string; banner: string; body: string }): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p>${escapeHtml(o.banner)}</p></header>
<main id="main">
<h1>${escapeHtml(o.title)}</h1>
${o.body}
</main>
</body>
</html>`;
}
