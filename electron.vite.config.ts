import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { CSP_PLACEHOLDER, RENDERER_CSP, devCsp } from './src-shared/csp.js'

/**
 * Writes the one shared CSP (src-shared/csp.ts) into index.html's <meta> tag; the dev server
 * gets the dev variant (HMR socket, react-refresh preamble). Fails the build without the tag.
 */
function sharedCsp(): Plugin {
  return {
    name: 'dsi-shared-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        if (!html.includes(CSP_PLACEHOLDER))
          throw new Error(
            `src-renderer/index.html has no ${CSP_PLACEHOLDER} placeholder for the CSP`,
          )
        const local = ctx.server?.resolvedUrls?.local[0]
        const policy =
          ctx.server && local ? devCsp(new URL(local).origin, { header: false }) : RENDERER_CSP
        return html.replace(CSP_PLACEHOLDER, policy)
      },
    },
  }
}

/**
 * Three explicit entries. The preload is bundled to CommonJS because sandboxed preloads cannot
 * load ES modules. The renderer bundles Monaco and its workers locally (no CDN).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/index.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    plugins: [sharedCsp(), react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-renderer/index.html') },
      },
    },
  },
})
