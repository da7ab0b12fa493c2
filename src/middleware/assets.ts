import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import express, { Router } from 'express';
import { COMPRESS_FROM_BYTES } from './compression.ts';
import { dsfrSubset } from '../rendering/dsfr-subset.ts';
import type { AssetUrls } from '../rendering/nunjucks.ts';

const require = createRequire(import.meta.url);
const dsfrDist = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const dsfrVersion = (require('@gouvfr/dsfr/package.json') as { version: string }).version;
const htmxFile = path.join(path.dirname(require.resolve('htmx.org/package.json')), 'dist/htmx.min.js');
const publicDir = path.resolve(import.meta.dirname, '../../public');

/**
 * The DSFR parts we use, in cascade order (the full DSFR is 94 KB gzipped). Add a component here when a page starts
 * using it; of these, only the rules our files can use are served (rendering/dsfr-subset.ts).
 */
export const DSFR_PARTS = [
  'core/core',
  'component/link/link',
  'component/button/button',
  'component/skiplink/skiplink',
  'component/logo/logo',
  'component/header/header',
  'component/footer/footer',
  'component/breadcrumb/breadcrumb',
  'component/navigation/navigation',
  'component/form/form',
  'component/input/input',
  'component/select/select',
  'component/radio/radio',
  'component/checkbox/checkbox',
  'component/upload/upload',
  'component/alert/alert',
  'component/badge/badge',
  'component/stepper/stepper',
  'component/table/table',
  'component/card/card',
  'component/content/content',
];
/** The DSFR folders that its CSS points to (fonts, icons); served as they are under a versioned path. */
const DSFR_STATIC = ['fonts', 'icons', 'artwork', 'favicon'];
const DSFR_BASE = `/assets/dsfr-${dsfrVersion}`;

/** A file and, when it is worth it, its gzip made once at start-up at the highest level. */
type Asset = { body: Buffer; gzipped?: Buffer; type: string };
export type { AssetUrls };

/** Rewrites a DSFR file's relative url()s to absolute versioned paths so that files can be concatenated. */
function absolutiseUrls(css: string, fileDir: string): string {
  return css.replace(/url\((['"]?)(\.\.\/[^'")]+)\1\)/g, (_m, _q, relative: string) => {
    const target = path.posix.join(fileDir, relative);
    return `url(${DSFR_BASE}/${target})`;
  });
}

export function buildDsfrCss(parts: readonly string[] = DSFR_PARTS): string {
  return parts
    .map((part) =>
      absolutiseUrls(readFileSync(path.join(dsfrDist, `${part}.min.css`), 'utf8'), path.posix.dirname(part)),
    )
    .join('\n');
}

function fingerprint(name: string, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const ext = path.extname(name);
  return `/assets/${path.basename(name, ext)}.${hash}${ext}`;
}

/**
 * Static files: the DSFR rules we use and htmx self-hosted, our CSS and JS, all under content-hashed URLs served with a
 * one-year immutable cache. Built once at start-up, kept in memory (a few tens of KB) with their gzip.
 */
export function staticAssets(): { router: Router; urls: AssetUrls } {
  const files = new Map<string, Asset>();
  const add = (name: string, body: Buffer, type: string) => {
    const url = fingerprint(name, body);
    const gzipped = body.length >= COMPRESS_FROM_BYTES ? gzipSync(body, { level: 9 }) : undefined;
    files.set(url, { body, type, gzipped });
    return url;
  };
  const css = 'text/css; charset=utf-8';
  const js = 'text/javascript; charset=utf-8';
  const own = (dir: string, type: string) =>
    Object.fromEntries(
      readdirSync(path.join(publicDir, dir)).map((f) => [f, add(f, readFileSync(path.join(publicDir, dir, f)), type)]),
    );
  const ownCss = own('css', css);
  const ownJs = own('js', js);
  const urls: AssetUrls = Object.freeze({
    dsfrCss: add('dsfr.css', Buffer.from(dsfrSubset(buildDsfrCss())), css),
    appCss: ownCss['signup.css'] as string,
    printCss: ownCss['print.css'] as string,
    htmxJs: add('htmx.min.js', readFileSync(htmxFile), js),
    appJs: ownJs['signup.js'] as string,
    favicon: `${DSFR_BASE}/favicon/favicon.svg`,
  });

  const router = Router();
  const longCache = 'public, max-age=31536000, immutable';
  router.get('/assets/:file', (req, res, next) => {
    const asset = files.get(req.path);
    if (!asset) return next();
    res.set({ 'Content-Type': asset.type, 'Cache-Control': longCache });
    if (!asset.gzipped) return res.send(asset.body);
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') return res.send(asset.body);
    res.set('Content-Encoding', 'gzip').send(asset.gzipped);
  });
  for (const dir of DSFR_STATIC) {
    router.use(
      `${DSFR_BASE}/${dir}`,
      express.static(path.join(dsfrDist, dir), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
    );
  }
  router.get('/favicon.ico', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').sendFile(path.join(dsfrDist, 'favicon/favicon.ico'));
  });
  return { router, urls };
}
