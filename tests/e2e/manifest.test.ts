import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUILDS = { chrome: '.output/chrome-mv3', firefox: '.output/firefox-mv2' };

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Which runtime a shipped wasm binary belongs to, by its upstream file name; null for an unknown one. */
function wasmRuntime(file: string): 'onnxruntime-web' | 'mediapipe' | null {
  const name = basename(file);
  if (/^ort-wasm.*\.wasm$/.test(name)) return 'onnxruntime-web';
  if (/^vision_wasm.*\.wasm$/.test(name)) return 'mediapipe';
  return null;
}

const MODEL_FILE = /\.(onnx|tflite|task)$/;

describe('built extension', () => {
  it.each(Object.entries(BUILDS))('%s: ships one wasm build per runtime (every wasm and model file listed with its size)', async (name, dir) => {
    const shipped = [];
    for (const file of await filesUnder(dir)) {
      if (!file.endsWith('.wasm') && !MODEL_FILE.test(file)) continue;
      shipped.push({ file: relative(dir, file), bytes: (await stat(file)).size, runtime: file.endsWith('.wasm') ? wasmRuntime(file) : 'model' });
    }
    console.info(`${name} build, wasm and model files:\n${shipped.map(({ file, bytes }) => `  ${(bytes / 1e6).toFixed(2).padStart(6)} MB  ${file}`).join('\n')}`);
    const wasm = shipped.filter(({ runtime }) => runtime !== 'model');
    expect(wasm.filter(({ runtime }) => runtime === null), 'a wasm file of no known runtime').toEqual([]);
    expect(wasm.filter(({ runtime }) => runtime === 'onnxruntime-web').map(({ file }) => file)).toEqual(['ort/ort-wasm-simd-threaded.jsep.wasm']);
    expect(wasm.filter(({ runtime }) => runtime === 'mediapipe').map(({ file }) => file)).toEqual(['mediapipe/wasm/vision_wasm_module_internal.wasm']);
    expect(shipped.filter(({ runtime }) => runtime === 'model').map(({ file }) => file).sort()).toEqual([
      'mediapipe/face_detection_full_range.tflite',
      'mediapipe/face_detector.tflite',
      'mediapipe/face_landmarker.task',
      'mediapipe/selfie_segmentation.tflite',
      'models/ocr/ch_PP-OCRv4_rec_infer.onnx',
    ]);
  });

  it('Chrome: MV3, a CSP without remote code, the offscreen permission', async () => {
    const manifest = JSON.parse(await readFile(join(BUILDS.chrome, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.content_security_policy.extension_pages).toBe("script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    expect(manifest.permissions).toContain('offscreen');
    expect(manifest.background.service_worker).toBe('background.js');
    // Image bytes travel between contexts as Uint8Array (lib/messaging/protocol.ts messageBytes).
    expect(manifest.message_serialization).toBe('structured_clone');
    expect(manifest.minimum_chrome_version).toBe('148');
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
