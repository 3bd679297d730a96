import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUILDS = { chrome: '.output/chrome-mv3', firefox: '.output/firefox-mv2' };

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('built extension', () => {
  it('Chrome: MV3, a CSP without remote code, the offscreen permission', async () => {
    const manifest = JSON.parse(await readFile(join(BUILDS.chrome, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.content_security_policy.extension_pages).toBe("script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    expect(manifest.permissions).toContain('offscreen');
    expect(manifest.background.service_worker).toBe('background.js');
  });

  it('Chrome: blocks MediaPipe usage logs with a declarativeNetRequest rule', async () => {
    const manifest = JSON.parse(await readFile(join(BUILDS.chrome, 'manifest.json'), 'utf8'));
    expect(manifest.permissions).toContain('declarativeNetRequestWithHostAccess');
    const [ruleset] = manifest.declarative_net_request.rule_resources;
    expect(ruleset.enabled).toBe(true);
    const rules = JSON.parse(await readFile(join(BUILDS.chrome, ruleset.path), 'utf8'));
    expect(rules).toContainEqual(expect.objectContaining({ action: { type: 'block' }, condition: { requestDomains: ['odml.pa.googleapis.com'] } }));
  });

  it('Firefox: MV2 background page with the same CSP, no offscreen permission', async () => {
    const manifest = JSON.parse(await readFile(join(BUILDS.firefox, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(2);
    expect(manifest.content_security_policy).toBe("script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    expect(manifest.permissions).not.toContain('offscreen');
  });

  it.each(Object.entries(BUILDS))('%s: no script or page loads code from another origin', async (_name, dir) => {
    for (const file of await filesUnder(dir)) {
      if (!/\.(html|js)$/.test(file)) continue;
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/<script[^>]+src=["']https?:/i);
      expect(text, file).not.toMatch(/\bimport\s*\(\s*["']https?:/);
      expect(text, file).not.toMatch(/importScripts\(\s*["']https?:/);
    }
  });
});
