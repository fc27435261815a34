/** @type {import('next').NextConfig} */
const nextConfig = {
  // Lets several working copies of the build coexist (parallel development); production uses .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // A self-contained server (node .next/standalone/server.js) for containers; `next start` works too.
  output: 'standalone',
  // The native SQLite addon is loaded at run time; make sure the standalone output carries it.
  serverExternalPackages: ['better-sqlite3'],
  outputFileTracingIncludes: { '/**': ['./node_modules/better-sqlite3/build/Release/better_sqlite3.node'] },
  // The type checker runs once, in `tsc --noEmit` (npm test's first step), not again in every build
  // (the host's and the image's).
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  // The emulator and scripts live beside the app but are not part of it. Nor is sharp, the image
  // optimiser with its own libvips (28 MB of the container image): the portal shows no next/image.
  outputFileTracingExcludes: { '*': ['emulator/**', 'tests/**', 'scripts/**', 'bench/**', 'node_modules/sharp/**', 'node_modules/@img/**'] },
  images: { unoptimized: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
          { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
