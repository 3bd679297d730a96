#!/usr/bin/env node
// Build step: the MediaPipe models with the TFLite metadata MediaPipe Tasks needs, and one
// tasks-vision wasm variant, into public/mediapipe/ (original file names; see docs/models.md).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEDIAPIPE_MODELS, TASKS_VISION_WASM, faceLandmarkerBundle, packageDir, patchedModel } from '../lib/mediapipe-models.mjs';

const OUT = fileURLToPath(new URL('../../public/mediapipe/', import.meta.url));

/** @type {Map<string, () => Uint8Array>} path under OUT → its bytes */
const files = new Map();
for (const spec of MEDIAPIPE_MODELS) files.set(spec.output, () => patchedModel(spec));
files.set('face_landmarker.task', faceLandmarkerBundle);
const wasmDir = join(packageDir('@mediapipe/tasks-vision'), 'wasm');
for (const file of TASKS_VISION_WASM) files.set(`wasm/${file}`, () => readFileSync(join(wasmDir, file)));

mkdirSync(join(OUT, 'wasm'), { recursive: true });
for (const [path, bytes] of files) {
  const target = join(OUT, path);
  const content = bytes();
  let current = null;
  try {
    current = readFileSync(target);
  } catch {
    // Not written yet.
  }
  // Unchanged files keep their times, so repeated builds stay cheap.
  if (!current?.equals(content)) writeFileSync(target, content);
}
// Files of earlier versions of this step go, so the extension never ships a stale model.
for (const entry of readdirSync(OUT, { recursive: true, withFileTypes: true })) {
  const path = relative(OUT, join(entry.parentPath, entry.name));
  if (entry.isFile() && !files.has(path)) rmSync(join(OUT, path));
}
console.log(`MediaPipe models and wasm → ${relative(process.cwd(), OUT)}/`);
