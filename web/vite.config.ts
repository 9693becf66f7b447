// Builds the Statbank web app (web/src) into web/dist; the server (src/server/webApp.ts) serves it under /statbank/.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/statbank/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // the chart library is loaded on demand in its own chunk; it is big by nature
    chunkSizeWarningLimit: 1200,
  },
});
