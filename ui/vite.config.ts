import { defineConfig } from 'vite';

// The page: React (automatic JSX runtime through esbuild; no plugin needed), built into build/web.
export default defineConfig({
  root: 'src/web',
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: '../../build/web', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
