import { defaultClientConditions } from 'vite';
import { defineConfig } from 'wxt';
import { SUGGESTED_SHORTCUT, ANALYZE_COMMAND } from './lib/page/shortcut';

// See ../README.md: `npm run build` builds both targets through scripts/build.mjs.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports everywhere: entrypoints read like the plain modules they are.
  imports: false,
  // onnxruntime-web's extern-wasm entry loads its wasm from public/ort/ (scripts/assets/10-ocr-models.mjs)
  // instead of making Vite emit a second copy of it.
  // `dedupe`: one React however node_modules is laid out; where react-dom resolves `react` by another path
  // (a node_modules reached through a symlink), a second copy makes every hook throw and the overlay never draws.
  vite: () => ({ resolve: { conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'], dedupe: ['react', 'react-dom'] } }),
  manifest: ({ browser }) => ({
    name: 'Sidelight',
    description: 'Finds AI image comparison cards while you scroll, splits the panels and shows realism checks. Runs entirely on your machine.',
    permissions:
      browser === 'firefox'
        ? ['storage', 'unlimitedStorage', 'contextMenus', 'declarativeNetRequestWithHostAccess']
        : ['storage', 'unlimitedStorage', 'contextMenus', 'offscreen', 'declarativeNetRequestWithHostAccess'],
    // MediaPipe Tasks' wasm POSTs usage logs to a Google endpoint; this rule refuses them before they start.
    // (A `connect-src 'self'` CSP would also stop them, but in MV3 it covers the service worker's image fetches too.)
    declarative_net_request: { rule_resources: [{ id: 'block-telemetry', enabled: true, path: 'rules/block-telemetry.json' }] },
    host_permissions: ['<all_urls>'],
    // On-demand mode: the picture under the pointer or in focus (the offer's button) from the keyboard.
    commands: { [ANALYZE_COMMAND]: { suggested_key: { default: SUGGESTED_SHORTCUT }, description: 'Analyse the image under the pointer or in focus (on-demand mode)' } },
    // Messages between Sidelight's contexts are structured clones, as in Firefox: image bytes travel
    // as Uint8Array, not as base64 inside JSON (the largest item in the page CPU profile, docs/performance.md).
    // Chrome 148 is the first to read the key, so it is also the oldest Sidelight runs in.
    ...(browser === 'firefox' ? {} : { message_serialization: 'structured_clone', minimum_chrome_version: '148' }),
    content_security_policy:
      browser === 'firefox'
        ? "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"
        : { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'sidelight@sidelight.invalid', strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } } } }
      : {}),
  }),
});
