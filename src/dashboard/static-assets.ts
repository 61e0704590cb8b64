/**
 * The page and its assets. The page's own HTML, CSS and script are TypeScript modules
 * exporting text, so they are compiled into dist/ with the rest; uPlot's files are read from
 * the installed package on first request and kept.
 */

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PAGE_HTML } from './assets/page-html.js';
import { PAGE_SCRIPT } from './assets/page-script.js';
import { PAGE_STYLES } from './assets/page-styles.js';

export interface Asset {
  contentType: string;
  body: string | Buffer;
}

const requireFromHere = createRequire(import.meta.url);

const BUILT_IN: Record<string, Asset> = {
  '/': { contentType: 'text/html; charset=utf-8', body: PAGE_HTML },
  '/assets/dashboard.js': { contentType: 'text/javascript; charset=utf-8', body: PAGE_SCRIPT },
  '/assets/dashboard.css': { contentType: 'text/css; charset=utf-8', body: PAGE_STYLES },
};

const FROM_PACKAGES: Record<string, { module: string; contentType: string }> = {
  '/assets/uPlot.iife.min.js': {
    module: 'uplot/dist/uPlot.iife.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  '/assets/uPlot.min.css': {
    module: 'uplot/dist/uPlot.min.css',
    contentType: 'text/css; charset=utf-8',
  },
};

const loaded = new Map<string, Promise<Asset>>();

export function staticAsset(pathname: string): Promise<Asset | undefined> {
  const builtIn = BUILT_IN[pathname === '/index.html' ? '/' : pathname];
  if (builtIn) return Promise.resolve(builtIn);

  const packaged = FROM_PACKAGES[pathname];
  if (!packaged) return Promise.resolve(undefined);
  let asset = loaded.get(pathname);
  if (!asset) {
    asset = readFile(requireFromHere.resolve(packaged.module)).then((body) => ({
      contentType: packaged.contentType,
      body,
    }));
    loaded.set(pathname, asset);
  }
  return asset;
}
